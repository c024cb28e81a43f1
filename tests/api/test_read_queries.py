"""A dossier's page and JSON read in a fixed number of queries, however many documents it
holds (no query per document): what keeps reads fast on PostgreSQL as dossiers fill up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import event

from api.dossier_views import dossier_view, rescan_requests
from api.services import add_file, open_dossier
from config.settings import Settings
from storage.db import open_database
from tests.support.samples import born_digital


@contextmanager
def _counted(settings: Settings) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = open_database(settings).engine

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def _reads(settings: Settings, code: str) -> int:
    with _counted(settings) as statements:
        dossier_view(settings, code)
        rescan_requests(settings, code)
    return len(statements)


def test_reading_a_dossier_costs_the_same_queries_with_1_or_6_documents(
    api_settings: Settings, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    code = open_dossier(
        api_settings, procedure_code="1.001193", applicant_name="Lê Thị Hoa",
        applicant_id_number=None, unit_code="xa-a", actor="test",
    )  # fmt: skip
    pdf, _ = born_digital(tmp_path, "giay_chung_sinh")
    template = pdf.read_bytes()

    def add(n: int) -> None:
        path = tmp_path / f"scan-{n}.pdf"
        path.write_bytes(template + f"\n% scan {n}\n".encode())
        added = add_file(api_settings, redis_conn, code, path, name=path.name, actor="test")
        assert added.status == "stored", added

    add(0)
    with_one = _reads(api_settings, code)
    for n in range(1, 6):
        add(n)
    assert len(dossier_view(api_settings, code)["documents"]) == 6
    assert _reads(api_settings, code) == with_one
