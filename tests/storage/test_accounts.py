"""One account per signer profile, held by the database itself on SQLite and PostgreSQL: the
check in code has a window between reading and writing that two admins can both pass."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from config.errors import InvalidRequest
from storage import accounts
from storage.accounts import add_user
from storage.db import Database
from storage.enums import UserRole
from storage.models import User


def _leader(database: Database, username: str, profile: str | None) -> User:
    with database.session() as session:
        return add_user(
            session,
            username=username,
            full_name=username,
            role=UserRole.LEADER,
            unit_code="xa-a",
            password_hash="$argon2id$not-a-real-hash",
            signer_profile=profile,
            actor="test",
        )


def test_the_database_refuses_a_second_account_on_a_profile(database: Database) -> None:
    _leader(database, "leader_a", "chu-tich")
    _leader(database, "no_key_1", None)
    _leader(database, "no_key_2", None)  # accounts without a profile are not constrained
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(
            User(
                username="leader_b",
                full_name="B",
                role=UserRole.LEADER,
                unit_code="xa-a",
                signer_profile="chu-tich",
                password_hash="x",
                active=True,
                created_by="test",
            )
        )


def test_two_admins_racing_for_a_profile_get_a_clear_refusal(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leader(database, "leader_a", "chu-tich")
    monkeypatch.setattr(accounts, "profile_holder", lambda session, profile: None)  # the race
    with pytest.raises(InvalidRequest, match="chu-tich"):
        _leader(database, "leader_b", "chu-tich")
    with database.session(readonly=True) as session:
        assert list(session.scalars(select(User.username).order_by(User.id))) == ["leader_a"]
