"""Vietnamese labels for what the service stores in English codes: states, roles, flags,
field names, error codes; one home for the pages, the CLI and the status endpoints.

Keyed by the codes' string values (config imports no other sohoa package, so not by the
enums themselves); tests/config/test_labels.py checks every enum value has its label here.
The labels are kept in four modules by concept (states, office, fields, reports) and all
read from here: `from config import labels; labels.STATES`.
"""

from __future__ import annotations

from config.labels.fields import *  # noqa: F403
from config.labels.office import *  # noqa: F403
from config.labels.reports import *  # noqa: F403
from config.labels.states import *  # noqa: F403
