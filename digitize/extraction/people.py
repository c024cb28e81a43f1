"""Whose data is where: a document's people, by the sections and labels that introduce them.

Forms describe several people: the applicant and the child on a birth form, both spouses,
the two parties of a contract, the person who died. As the field schema says
(digitize.fieldnames), the person a document is about gets the plain field names
(full_name, date_of_birth, id_number) and the others a role prefix (child_, mother_,
father_, spouse_, deceased_, agent_, counterparty_, declarant_).

A role starts at a section heading ("BÊN ĐƯỢC ỦY QUYỀN", "Đề nghị ... khai sinh cho
người dưới đây") or at a name label that carries one ("Họ, chữ đệm, tên người mẹ"), and
lasts until the next one. When both sides of a couple appear, the first is the person the
document is about. When nobody is in the plain role (a death notice names only the
deceased, a medical birth certificate the mother), the first person met is promoted to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from config.text import fold
from digitize.extraction.ids import IdHit
from digitize.extraction.text import Page, first_date, line_at

MAIN = ""
"""The role of the person the document is about: no prefix."""
OTHER = "other"
"""Someone else the page names, whose role it does not say: only their IDs are reported."""
PARTY = "party"
"""One side of a couple (bên nam / bên nữ, chồng / vợ): the first becomes MAIN."""

SECTION_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.MULTILINE), role)
    for pattern, role in (
        (r"ben duoc uy quyen", "agent"),
        (r"ben uy quyen", MAIN),
        (r"ben nhan chuyen nhuong", "counterparty"),
        (r"ben chuyen nhuong", MAIN),
        (r"khai tu cho nguoi|nguoi da chet co ten|co ten duoi day da chet|bao tin\s*:", "deceased"),
        (r"khai sinh cho nguoi", "child"),
        (r"thong tin ben\s*(nu|nam)|^\s*ben\s*(nu|nam)\s*$", PARTY),
        (r"^\s*va (ong|ba)\s*:", "spouse"),
        (r"quan he gia dinh|hoan canh gia dinh", "family"),
        (r"loi chung|chung thuc ban sao|nguoi thuc hien chung thuc|cong chung vien", "officer"),
    )
)
"""Headings that start a person's section, in folded text, and the role they start."""

_LABEL_ROLES: tuple[tuple[str, str], ...] = (
    ("nguoi yeu cau", MAIN),
    ("nguoi di khai sinh", "declarant"),
    ("nguoi chet", "deceased"),
    ("nguoi me", "mother"),
    ("nguoi cha", "father"),
    ("vo/chong", "spouse"),
    ("chong", PARTY),
    ("vo", PARTY),
    ("me", "mother"),
    ("cha", "father"),
    ("bo", "father"),
    ("chu ho", MAIN),
)
"""Words after a name label that say whose name it is, longest first."""

NAME_LABEL = re.compile(
    r"(?:\bho,? chu dem,?(?: va)? ten(?: khai sinh)?|\bho va ten|\bho ten|\bten khach hang|"
    r"\bfull name|\bong/ba|tiep nhan ho so cua|\btoi ten la|nguoi su dung dat|"
    r"\bten chu xe|^\s*(?:ong|ba)(?=\s*:))",
    re.MULTILINE,
)
"""Labels a person's name follows (folded)."""
_NAME_TAIL = re.compile(r"^[^:\n]{0,40}?:")
_HONORIFIC = re.compile(r"^\s*(?:ông|bà|ông/bà)\s*[:.]?\s+", re.IGNORECASE)
_NAME = re.compile(r"^([^\W\d_][^\W\d_']*(?:[ ][^\W\d_][^\W\d_']*){1,6})")
_NOT_NAME_WORDS = frozenset(
    "ngay thang sinh gioi quoc tich noi dia date birth full name cu tru toc ghi ro cap".split()  # noqa: SIM905
)
"""Folded words of labels that never occur in a person's name (so a label read on the line
after an empty value is not taken for one); name syllables such as Chi, Quân, Tình stay out."""
BIRTH_LABEL = re.compile(
    r"(ngay,? thang,? nam sinh|ngay sinh|sinh ngay|date of birth|nam sinh\s*:)"
)
DECREE_SUBJECT = re.compile(r"dieu 1\.[\s\S]{0,120}?\b(?:ong|ba) (?=\S)")
"""A decision's Article 1 naming the citizen it concerns ("Điều 1. Cho phép ông ...")."""
_SEX = re.compile(r"gioi tinh(?! cua con)[^:\n]{0,20}:\s*(nam|nu)\b")


@dataclass
class Person:
    """What was read about one person, each with the page it was on."""

    role: str
    start: int
    """Document offset of the first thing read about them."""
    name: tuple[str, int] | None = None
    birth: tuple[str, int] | None = None
    sex: str | None = None
    ids: list[IdHit] = field(default_factory=list)
    """ID numbers read in their section, in order (the first is theirs)."""


@dataclass(frozen=True)
class _Mark:
    position: int
    role: str
    new_person: bool


def _label_role(after_label: str) -> str | None:
    tail = after_label.strip(" ,/-()")
    for words, role in _LABEL_ROLES:
        if tail.startswith(words) and (len(tail) == len(words) or not tail[len(words)].isalpha()):
            return role
    return None


_FAMILIES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai "
    "Cao Đào Lương Trịnh Tạ Kiều Chu Lưu Quách Thái Tô Triệu Hứa"
)
FAMILY_NAMES = {fold(name): name for name in _FAMILIES.split()}
"""The commonest family names by their folded form: OCR often reads "Nguyễn" as "Nguyên",
and a family name comes from a short list, so its tone marks can be restored."""


def _restore_family_name(words: list[str]) -> list[str]:
    known = FAMILY_NAMES.get(fold(words[0]))
    return [known, *words[1:]] if known else words


def clean_name(raw: str) -> str | None:
    """A person's name from the text after a label, in title case, or None."""
    text = _HONORIFIC.sub("", raw.lstrip(" :.\t"))
    match = _NAME.match(text)
    if not match:
        return None
    words = match.group(1).split()
    while words and words[-1].lower() in ("sinh", "trú", "thường", "số"):
        words.pop()
    folded = {fold(w) for w in words}
    if not 2 <= len(words) <= 6 or folded & _NOT_NAME_WORDS:
        return None
    if not all(w[0].isupper() for w in words):
        return None
    cased = [w if not w.isupper() else w.title() for w in words]
    return " ".join(_restore_family_name(cased))


def name_after(page: Page, label_end: int) -> str | None:
    """The name following a label: on the same line, else on the next (ID cards)."""
    _, end = line_at(page.text, label_end)
    same = clean_name(page.text[label_end:end])
    if same is not None or page.text[label_end:end].strip(" :.\t"):
        return same
    next_end = page.text.find("\n", end + 1)
    return clean_name(page.text[end + 1 : len(page.text) if next_end < 0 else next_end])


def _marks(page: Page) -> Iterator[_Mark]:
    for pattern, role in SECTION_MARKERS:
        for match in pattern.finditer(page.folded):
            yield _Mark(page.offset + match.start(), role, True)


def _names(page: Page) -> Iterator[tuple[int, str | None, str]]:
    """(document offset, role the label carries or None, name) of every labelled name."""
    for match in NAME_LABEL.finditer(page.folded):
        line_end = line_at(page.folded, match.end())[1]
        rest = page.folded[match.end() : line_end]
        tail = _NAME_TAIL.match(rest)
        role = _label_role(rest[: tail.end() - 1] if tail else rest)
        value_at = match.end() + (tail.end() if tail else 0)
        name = name_after(page, value_at)
        if name:
            yield page.offset + match.start(), role, name
    for match in DECREE_SUBJECT.finditer(page.folded):
        name = clean_name(page.text[match.end() : match.end() + 60])
        if name:
            yield page.offset + match.start(), None, name


def read_people(pages: list[Page]) -> tuple[list[Person], list[_Mark]]:
    """The people a document describes, in order, and the section marks found."""
    marks: list[_Mark] = []
    found: list[tuple[int, str | None, str, int]] = []
    for page in pages:
        marks.extend(_marks(page))
        found.extend((pos, role, name, page.number) for pos, role, name in _names(page))
    for pos, role, _, _ in found:
        if role is not None:
            marks.append(_Mark(pos, role, True))
    marks.sort(key=lambda m: m.position)
    people: list[Person] = []
    for pos, _, name, number in sorted(found, key=lambda f: f[0]):
        role = role_at(marks, pos)
        person = _person_for(people, marks, pos, role, name=name)
        person.name = (name, number)
    return people, marks


def role_at(marks: list[_Mark], position: int) -> str:
    """The role of the section a document offset lies in."""
    role = MAIN
    for mark in marks:
        if mark.position > position:
            break
        role = mark.role
    return role


def _section_bounds(marks: list[_Mark], position: int) -> tuple[int, int]:
    """Start and end (the next mark) of the section a document offset lies in."""
    start, end = 0, 1 << 62
    for mark in marks:
        if mark.position > position:
            end = mark.position
            break
        start = mark.position
    return start, end


def _person_for(
    people: list[Person], marks: list[_Mark], position: int, role: str, *, name: str = ""
) -> Person:
    """The person a field at a position belongs to: in its section, the last one met before
    it (or the first of the section, for a field printed above the name). A second name in
    one section is a second person (two sides of a couple merged by an OCR slip)."""
    start, end = _section_bounds(marks, position)
    mine = [p for p in people if p.role == role and start <= p.start < end]
    before = [p for p in mine if p.start <= position]
    person = before[-1] if before else (mine[0] if mine else None)
    if person is None or (name and person.name is not None and person.name[0] != name):
        person = Person(role, position)
        people.append(person)
        people.sort(key=lambda p: p.start)
    return person


def attach_ids(people: list[Person], marks: list[_Mark], hits: list[IdHit]) -> None:
    """ID numbers, each given once to the person of the section it is read in."""
    seen: set[str] = set()
    for hit in hits:
        if hit.value in seen:
            continue
        seen.add(hit.value)
        person = _person_for(people, marks, hit.position, role_at(marks, hit.position))
        person.ids.append(hit)


def attach_births(pages: list[Page], people: list[Person], marks: list[_Mark]) -> None:
    """Dates of birth and sexes, each given to the person of its section."""
    for page in pages:
        for match in BIRTH_LABEL.finditer(page.folded):
            _, end = line_at(page.text, match.end())
            window = page.text[match.end() : min(end, match.end() + 40)]
            found = first_date(window, page.folded[match.end() : match.end() + len(window)])
            if found is None:
                continue
            pos = page.offset + match.start()
            person = _person_for(people, marks, pos, role_at(marks, pos))
            if person.birth is None:
                person.birth = (found[0].isoformat(), page.number)
        for match in _SEX.finditer(page.folded):
            pos = page.offset + match.start()
            person = _person_for(people, marks, pos, role_at(marks, pos))
            person.sex = person.sex or ("nam" if match.group(1) == "nam" else "nữ")


def resolve_roles(people: list[Person]) -> None:
    """Couples' first side becomes the main person, the second the spouse; with no main
    person at all, the first person met is promoted (a death notice's deceased); any further
    main person (names the page does not tell apart) becomes OTHER."""
    parties = [p for p in people if p.role == PARTY]
    has_main = any(p.role == MAIN for p in people)
    for index, person in enumerate(parties):
        person.role = MAIN if index == 0 and not has_main else "spouse"
    if not any(p.role == MAIN for p in people):
        candidates = [p for p in people if p.role not in ("officer", "family")]
        if candidates:
            min(candidates, key=lambda p: p.start).role = MAIN
    mains = sorted((p for p in people if p.role == MAIN), key=lambda p: p.start)
    for person in mains[1:]:
        person.role = OTHER
