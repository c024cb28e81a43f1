"""The one-stop rules a dossier is judged by: each version's supplement, apology and same-day
rules and the day it came into force. A dossier keeps the version in force the day it was
received (dossiers.rules), whatever came later.

DOMAIN: Decree 118/2025/NĐ-CP's values are today's reading (DOMAIN.md: procedure texts of
2025; config.defaults). Decree 61/2018/NĐ-CP's are read as the same: secondary sources give
it the 3-working-day, one-time supplement notice and the apology sent at the latest a day
before the deadline too, and the 15:00 cut-off of same-day procedures comes from provincial
procedure texts under both; none of this was confirmed against the official texts. An
office that reads a version otherwise changes its row here (and its dossiers keep being
judged by the version they were received under).

DOMAIN: the forms are not versioned. Circular 01/2018/TT-VPCP (under Decree 61/2018) is
reported to carry the same forms as Circular 03/2025/TT-VPCP (receipt, supplement request,
refusal, apology with a new date, control slip, tracking book; numbered 01 to 06, with no
notice of stopping) and no difference in what they print is known; sohoa prints neither a
form's number nor its circular on it (digitize.forms), so a dossier received under Decree
61/2018 prints the same forms. A version whose printed forms differ would add them here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from config import defaults


@dataclass(frozen=True)
class OneStopRules:
    """One version of the one-stop rules."""

    code: str
    """As stored on the dossier (dossiers.rules): "ND118-2025"."""
    since: date
    """The first day (office time) a dossier received is judged by it."""
    decree: str
    supplement_working_days: int
    """A supplement is asked within this many working days of receipt; later is warned."""
    apology_working_days_before: int
    """The apology letter may be written from this many working days before the
    appointment (and at any time after it)."""
    same_day_cutoff: str
    """A same-day procedure's dossier received after this hour is due the next working day
    (a procedure's own cut-off in the catalogue wins)."""


RULE_SETS: tuple[OneStopRules, ...] = (
    OneStopRules(
        code="ND61-2018",
        since=date(2018, 8, 21),
        decree="61/2018/NĐ-CP",
        supplement_working_days=3,
        apology_working_days_before=1,
        same_day_cutoff="15:00",
    ),
    OneStopRules(
        code="ND118-2025",
        since=date(2025, 7, 1),
        decree="118/2025/NĐ-CP",
        supplement_working_days=defaults.SUPPLEMENT_REQUEST_WORKING_DAYS,
        apology_working_days_before=defaults.APOLOGY_WORKING_DAYS_BEFORE,
        same_day_cutoff=defaults.SAME_DAY_CUTOFF,
    ),
)
"""Every version, oldest first (see the module's DOMAIN note)."""


def rules_in_force(day: date) -> OneStopRules:
    """The version in force on that day (office time): the newest that started by then,
    the oldest for a day before every one."""
    found = RULE_SETS[0]
    for rules in RULE_SETS:
        if day >= rules.since:
            found = rules
    return found


def rules_named(code: str) -> OneStopRules:
    """The version a dossier records; an unknown code (a row removed since) is today's."""
    for rules in RULE_SETS:
        if rules.code == code:
            return rules
    return RULE_SETS[-1]
