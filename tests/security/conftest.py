"""The security suite's fixtures: the web app's and the signing tests' own, shared here so that
every attack this suite replays runs against the same real parts (Redis, SQLite or PostgreSQL,
the test PKI, SoftHSM) as the rest of the tests."""

from __future__ import annotations

from tests.api.conftest import accounts, api_settings, app_client, bearer, password_hash
from tests.signing.conftest import (
    nss,
    pki,
    pki_services,
    result,
    services,
    signing_settings,
    softhsm,
)

__all__ = [
    "accounts",
    "api_settings",
    "app_client",
    "bearer",
    "nss",
    "password_hash",
    "pki",
    "pki_services",
    "result",
    "services",
    "signing_settings",
    "softhsm",
]
