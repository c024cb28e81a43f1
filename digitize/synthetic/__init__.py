"""Synthetic Vietnamese administrative documents with ground truth, as images, scans and PDFs."""

from __future__ import annotations

from digitize.fonts import (
    FontFamily,
    FontsMissingError,
    available_families,
    default_family,
)
from digitize.synthetic.case import Case, random_case
from digitize.synthetic.degrade import (
    LEVELS,
    OFFICE_SCANS,
    Degradation,
    Level,
    OfficeScan,
    apply,
    choose_degradation,
    degrade,
    office_degradation,
)
from digitize.synthetic.document import Align, Column, Line, Mark, Style, SyntheticDocument
from digitize.synthetic.dossier import SampleFile, write_sample_dossier
from digitize.synthetic.pdf import write_born_digital_pdf
from digitize.synthetic.people import Person, id_number_is_valid, random_person
from digitize.synthetic.render import render_document, render_page
from digitize.synthetic.templates import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    OTHER_KIND_NAMES,
    make_document,
    make_other_document,
)

__all__ = [
    "DOCUMENT_TYPES_WITH_TEMPLATES",
    "LEVELS",
    "OFFICE_SCANS",
    "OTHER_KIND_NAMES",
    "Align",
    "Case",
    "Column",
    "Degradation",
    "FontFamily",
    "FontsMissingError",
    "Level",
    "Line",
    "Mark",
    "OfficeScan",
    "Person",
    "SampleFile",
    "Style",
    "SyntheticDocument",
    "apply",
    "available_families",
    "choose_degradation",
    "default_family",
    "degrade",
    "id_number_is_valid",
    "make_document",
    "make_other_document",
    "office_degradation",
    "random_case",
    "random_person",
    "render_document",
    "render_page",
    "write_born_digital_pdf",
    "write_sample_dossier",
]
