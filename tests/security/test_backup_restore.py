"""Backups: a crafted one cannot make `sohoa restore` read or write outside the deployment it
restores into, and a backup carries no secret in clear (webhook keys, session and API token
traces), so a copy of it on another disk opens nothing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from api.accounts import Principal, issue_token
from api.cli import main
from config.settings import Settings, get_settings
from storage.accounts import add_user
from storage.backup.files import BackupFailed
from storage.backup.restore import restore_backup
from storage.backup.snapshot import make_backup
from storage.db import Database, open_database
from storage.enums import TokenKind, UserRole
from storage.exchange import add_endpoint
from storage.models import AuthToken, WebhookEndpoint
from tests.conftest import empty_database
from tests.storage.archive_support import archive, build_dossier

WEBHOOK_SECRET = "k3y-of-the-province-one-stop-system"  # a test's own key


@pytest.fixture
def source(database: Database, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A deployment with an archived dossier, a webhook receiver and signed-in users."""
    monkeypatch.setenv("SOHOA_DATABASE_URL", database.url)
    get_settings.cache_clear()
    settings = get_settings()
    archive(database, settings, build_dossier(database, settings).code)
    with database.session() as session:
        add_endpoint(session, name="tinh", url="https://mot-cua.example/h", secret=WEBHOOK_SECRET)
    return settings


@pytest.fixture
def fresh(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """An empty deployment of the same engine to restore into (settings switched to it by
    the test when it restores)."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with empty_database(kind, tmp_path, "restored.db") as url:
        monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "fresh"))
        monkeypatch.setenv("SOHOA_DATABASE_URL", url)
        get_settings.cache_clear()
        target = get_settings()
        open_database(target).upgrade()
        yield target


def _resave(bag_dir: Path) -> None:
    """Rewrite the bag's manifests so that bagit finds the crafted bag intact."""
    for path in bag_dir.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    bagit.Bag(str(bag_dir)).save(manifests=True)


def _nothing_written(target: Settings) -> None:
    assert not (target.blob_path / "sha256").exists()
    assert not any(p.is_file() for p in target.archive_path.rglob("*"))


def _backup(source: Settings, tmp_path: Path) -> Path:
    out = tmp_path / "backup"
    make_backup(source, out)
    return out


def test_a_package_path_leading_out_of_the_archive_is_refused_before_writing(
    source: Settings, fresh: Settings, tmp_path: Path
) -> None:
    """ATTACK: the backup's archive_packages rows name a package directory `../../victim`;
    restore sealed (chmod 0444) everything in it, outside the archive, as root.
    BOUNDARY: storage.backup.restore checks every package path (and its files' names) to be
    plain and relative before anything is written."""
    bag = _backup(source, tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    rows = bag / "data" / "database" / "archive_packages.jsonl"
    rows.chmod(0o644)
    escape = os.path.relpath(victim, fresh.archive_path)
    assert escape.startswith("..")
    rows.write_text(rows.read_text().replace('"path": "', f'"path": "{escape}/', 1))
    _resave(bag)
    with pytest.raises(BackupFailed, match="outside"):
        restore_backup(fresh, bag)
    assert (victim / "keep.txt").stat().st_mode & 0o200  # still writable: not sealed
    _nothing_written(fresh)


def test_a_link_in_the_backup_is_refused_before_anything_is_read_through_it(
    source: Settings, fresh: Settings, tmp_path: Path
) -> None:
    """ATTACK: a file of the backup's archive is a symbolic link to a file of the server,
    listed in the manifest with the target's digest: copied, the target's bytes would land
    in the archive, where access copies hand them out. (bagit's own validation also refuses
    a manifest path that resolves outside the bag; this check comes first, for every entry,
    listed or not.)
    BOUNDARY: every entry of the backup must be a real directory or regular file."""
    bag = _backup(source, tmp_path)
    secret = tmp_path / "server-secret.txt"
    secret.write_text("not for the archive")
    package = next((bag / "data" / "archive").glob("*/v1"))
    package.chmod(0o755)
    (package / "planted.txt").symlink_to(secret)
    manifest = bag / "manifest-sha256.txt"
    manifest.chmod(0o644)
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    relative = (package / "planted.txt").relative_to(bag).as_posix()
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write(f"{digest}  {relative}\n")
    with pytest.raises(BackupFailed, match="link"):
        restore_backup(fresh, bag)
    _nothing_written(fresh)


def test_a_manifest_naming_a_path_outside_the_bag_is_refused(
    source: Settings, fresh: Settings, tmp_path: Path
) -> None:
    """ATTACK: the bag's manifest names `data/../../evil`.
    BOUNDARY: the manifests' paths are checked, before bagit's own validation."""
    bag = _backup(source, tmp_path)
    manifest = bag / "manifest-sha256.txt"
    manifest.chmod(0o644)
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write(f"{'0' * 64}  data/../../evil\n")
    with pytest.raises(BackupFailed):
        restore_backup(fresh, bag)
    assert not (tmp_path / "evil").exists() and not (bag.parent / "evil").exists()
    _nothing_written(fresh)


def test_a_backup_holds_no_webhook_secret_and_no_token_traces(
    source: Settings, database: Database, tmp_path: Path, fresh: Settings
) -> None:
    """ATTACK: whoever gets a copy of a backup (another disk, a tape, a colleague) reads the
    webhook receivers' shared keys in clear and forges signed messages to them, or takes the
    sessions' CSRF values and tokens' digests.
    BOUNDARY: storage.backup.dump: auth_tokens are left out, a webhook endpoint's secret is
    withheld (restored inactive, reactivated by `sohoa exchange set-secret`)."""
    with database.session() as session:
        user = add_user(session, username="admin", full_name="Admin", role=UserRole.ADMIN,
                        unit_code="tinh", password_hash="$argon2id$v=19$m=65536,t=3,p=4$x$y",
                        signer_profile=None, actor="test")  # fmt: skip
        principal = Principal.of(user)
    issue_token(source, principal, TokenKind.API)
    issue_token(source, principal, TokenKind.SESSION)
    with database.session(readonly=True) as session:
        traces = [t.token_sha256 for t in session.scalars(select(AuthToken))]
        traces += [t.csrf_token for t in session.scalars(select(AuthToken)) if t.csrf_token]
    assert len(traces) >= 3
    bag = _backup(source, tmp_path)
    everything = b"".join(p.read_bytes() for p in bag.rglob("*") if p.is_file())
    assert WEBHOOK_SECRET.encode() not in everything
    for trace in traces:
        assert trace.encode() not in everything

    restore_backup(fresh, bag)
    with open_database(fresh).session(readonly=True) as session:
        endpoint = session.scalars(select(WebhookEndpoint)).one()
        assert (endpoint.secret, endpoint.active) == ("", False)
        assert session.scalars(select(AuthToken)).first() is None
    done = CliRunner().invoke(main, ["exchange", "set-secret", "tinh"],
                              env={"SOHOA_WEBHOOK_SECRET": "a-new-key-after-restore"})  # fmt: skip
    assert done.exit_code == 0, done.output
    with open_database(fresh).session(readonly=True) as session:
        endpoint = session.scalars(select(WebhookEndpoint)).one()
        assert (endpoint.secret, endpoint.active) == ("a-new-key-after-restore", True)
