"""The one settings object of sohoa, read from `SOHOA_*` environment variables."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config import defaults

_AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


class Settings(BaseSettings):
    """Everything that differs between one office's laptop and a province's cluster.

    With nothing set, sohoa runs on embedded parts under `data_dir`: SQLite, a local
    content-addressed blob store and a private redis-server it starts itself.
    """

    model_config = SettingsConfigDict(env_prefix="SOHOA_", frozen=True, extra="ignore")

    data_dir: Path = Path(defaults.DATA_DIR)
    """Root of the embedded deployment; relative paths are taken from the working directory."""

    database_url: str | None = None
    """SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db. Unset: SQLite in data_dir."""

    redis_url: str | None = None
    """Shared Redis for many workers, with its password: redis://:PASSWORD@host:6379/0
    (rediss:// for TLS across hosts, docs/deployment.md). Unset: sohoa starts its own
    server in data_dir, on a unix socket only."""

    blob_dir: Path | None = None
    """Where the content-addressed store keeps files (a shared volume for many machines).
    Unset: data_dir/blobs."""

    blob_store: str = "local"
    """`local` (files under blob_dir), or `module:Class` of another storage.blobs.BlobStore
    built from these settings (tests inject one that fails on purpose here)."""

    inbox_dir: Path | None = None
    """The scanners' inbox: DIR/<unit code>/ holds what that unit's scanners saved.
    Unset: data_dir/inbox."""

    inbox_scan_seconds: float = Field(default=defaults.INBOX_SCAN_SECONDS, ge=0)
    """Seconds between the looks `sohoa serve` takes at the inbox; 0: it never looks."""

    agency_code: str = defaults.AGENCY_CODE
    """Agency part of dossier codes, e.g. 000.00.12.H42."""

    unit_code: str = defaults.UNIT_CODE
    """Unit that new dossiers belong to unless another is given."""

    timezone: str = defaults.TIMEZONE
    """The office's time zone; dossier codes use its calendar day."""

    catalogue_dir: Path | None = None
    """Directory with document_types.yaml and procedures.yaml replacing the shipped ones."""

    session_hours: float = Field(default=defaults.SESSION_HOURS, gt=0)
    """How long a browser session lasts; see config.defaults."""

    cookie_secure: bool | None = None
    """Whether session cookies carry the Secure flag: true always (HTTPS in front of sohoa,
    the production setting), unset: when the request came over HTTPS, as the request itself
    or a trusted proxy (forwarded_allow_ips) says."""

    forwarded_allow_ips: str = "127.0.0.1"
    """Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated
    (uvicorn's --forwarded-allow-ips; `*`: any). A proxy on another machine must be named
    here, and then `sohoa serve` refuses to start unless cookie_secure is true or
    allow_insecure_cookie is."""

    allow_insecure_cookie: bool = False
    """Serve sessions over plain HTTP behind a remote proxy on purpose (a closed test
    network): the cookie then travels in clear between the browser and the proxy."""

    api_token_days: float = Field(default=defaults.API_TOKEN_DAYS, gt=0)
    """How long an API bearer token lasts; see config.defaults."""

    max_upload_bytes: int = Field(default=defaults.MAX_UPLOAD_BYTES, gt=0)
    """Largest file accepted; see config.defaults."""

    max_pages: int = Field(default=defaults.MAX_PAGES, gt=0)
    """Most pages per file; see config.defaults."""

    max_image_pixels: int = Field(default=defaults.MAX_IMAGE_PIXELS, gt=0)
    """Most pixels per page image; see config.defaults."""

    ocr_language: str = defaults.OCR_LANGUAGE
    """Tesseract language(s), e.g. `vie` or `vie+eng`."""

    ocr_engine: str = "tesseract"
    """`tesseract`, or `module:Class` of another OcrEngine (tests inject failing ones here)."""

    ocr_page_timeout: float = Field(default=defaults.OCR_PAGE_TIMEOUT, gt=0)
    """Seconds one page may take in Tesseract."""

    job_retries: int = Field(default=defaults.JOB_RETRIES, ge=0)
    """Retries of a job that failed for a transient reason."""

    job_retry_intervals: tuple[int, ...] = defaults.JOB_RETRY_INTERVALS
    """Backoff before each retry, in seconds."""

    public_url: str = defaults.PUBLIC_URL
    """This sohoa's HTTP address as other systems reach it (file links in exchanged data)."""

    sign_agent_port: int = Field(default=defaults.SIGN_AGENT_PORT, gt=0, lt=65536)
    """The loopback port leaders' sign agents listen on (`sohoa sign-agent --port`): the
    leader inbox's default agent address, and the port pages may connect to (CSP)."""

    urgent_working_days: int = Field(default=defaults.URGENT_WORKING_DAYS, ge=0)
    """Dossiers due within this many working days are digitized on the urgent lane."""

    worker_stop_grace: float = Field(default=defaults.WORKER_STOP_GRACE, gt=0)
    """Seconds a stopping worker lets its job finish before requeueing it."""

    log_level: str = "INFO"
    """Level of sohoa's own log lines on stderr."""

    type_model: Path | None = None
    """Document type model file (SOHOA_TYPE_MODEL). Unset: the one `sohoa model train`
    wrote under data_dir (config.defaults.TYPE_MODEL_FILE) if any, else the shipped one."""

    signing_key_dir: Path | None = None
    """Where relative paths in signer profiles (key files, certificates, stamp images) are
    found. Unset: data_dir/keys."""

    sign_passphrase: SecretStr | None = None
    """Passphrase of PKCS#12 key files (SOHOA_SIGN_PASSPHRASE). Never prompted for."""

    sign_passphrase_file: Path | None = None
    """A file holding that passphrase (a Docker or systemd secret), used when the variable
    is unset."""

    token_pin: SecretStr | None = None
    """PIN of a PKCS#11 token the server signs with (an HSM holding the organisation's key)."""

    token_pin_file: Path | None = None
    """A file holding the token PIN, used when SOHOA_TOKEN_PIN is unset."""

    pkcs11_module: Path = Path(defaults.PKCS11_MODULE)
    """The PKCS#11 library of server-side tokens."""

    tsa_url: str | None = None
    """RFC 3161 timestamp authority for PAdES B-T and above, e.g. http://tsa.example.vn/tsa.
    Unset: signing at B-T, B-LT or B-LTA is refused rather than silently downgraded."""

    trust_roots: Annotated[tuple[Path, ...], NoDecode] = ()
    """Root certificates (PEM or DER files, or directories of them) that signatures must chain
    to, e.g. the national root CA. Unset: no signature verifies as trusted."""

    verify_online: bool = True
    """Whether verification may fetch OCSP responses and CRLs the document does not carry.
    Archived B-LT/B-LTA documents never need to. Even then, only for chains that reach a
    configured trust root, and only from public addresses (signing.fetch_guard)."""

    verify_revocation_hosts: Annotated[tuple[str, ...], NoDecode] = ()
    """Hosts (`host` or `host:port`) of OCSP responders and CRL servers that verification may
    fetch from although they resolve to a loopback or private address, e.g. the internal
    responder of an agency's own CA (SOHOA_VERIFY_REVOCATION_HOSTS, comma-separated). Every
    other host must resolve to public addresses only."""

    verify_deadline: float = Field(default=defaults.VERIFY_DEADLINE_SECONDS, gt=0)
    """Seconds of wall time one public signature check may take (SOHOA_VERIFY_DEADLINE)."""

    signing_service_timeout: float = Field(default=defaults.SIGNING_SERVICE_TIMEOUT, gt=0)
    """Seconds to wait for a timestamp authority, OCSP responder or remote signer."""

    csc_allow_http_loopback: bool = False
    """For tests only: a remote signing (CSC) service on this machine (127.0.0.1, ::1,
    localhost) may be reached over plain http. Every other CSC URL must be https: its OAuth
    token, the credential's PIN and the digests it signs travel in each request."""

    archive_dir: Path | None = None
    """Where archival packages (BagIt bags) are kept. Unset: data_dir/archive."""

    archive_replica_dir: Path | None = None
    """The second copy of every package, which fixity checks compare with and repair from:
    another disk or volume in production. Unset: data_dir/archive-replica."""

    fixity_share: float = Field(default=defaults.FIXITY_SHARE, gt=0, le=1)
    """Share of the packages re-hashed by each nightly maintenance run (0-1]."""

    fixity_hour: int = Field(default=defaults.FIXITY_HOUR, ge=0, le=23)
    """Hour of the night, office time, at which the nightly maintenance job runs."""

    @field_validator("agency_code")
    @classmethod
    def _check_agency_code(cls, value: str) -> str:
        if not _AGENCY_CODE.match(value):
            raise ValueError(f"agency code {value!r} is not in the form 000.00.12.H42")
        return value

    @field_validator("trust_roots", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        """SOHOA_TRUST_ROOTS is a list of paths separated by ':' (like PATH) or ','."""
        if isinstance(value, str):
            return tuple(p for p in re.split(r"[:,]", value) if p.strip())
        return value

    @field_validator("verify_revocation_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        """SOHOA_VERIFY_REVOCATION_HOSTS is a comma-separated list, matched case-insensitively."""
        if isinstance(value, str):
            return tuple(h.strip().lower() for h in value.split(",") if h.strip())
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @property
    def data_path(self) -> Path:
        """data_dir made absolute, so forked workers and subprocesses agree on it."""
        return self.data_dir.expanduser().resolve()

    @property
    def blob_path(self) -> Path:
        """Root of the content-addressed blob store."""
        return (self.blob_dir or self.data_path / "blobs").expanduser().resolve()

    @property
    def inbox_path(self) -> Path:
        """Where scanners save: one folder per unit code."""
        return (self.inbox_dir or self.data_path / "inbox").expanduser().resolve()

    @property
    def sqlite_path(self) -> Path:
        """The embedded database file, used when no database_url is set."""
        return self.data_path / "sohoa.db"

    @property
    def effective_database_url(self) -> str:
        """database_url, or the embedded SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def key_path(self) -> Path:
        """Directory that relative paths in signer profiles are taken from."""
        return (self.signing_key_dir or self.data_path / defaults.SIGNING_KEY_DIR).expanduser()

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone as a tzinfo."""
        return ZoneInfo(self.timezone)

    @property
    def archive_path(self) -> Path:
        """Root of the archival packages."""
        return (self.archive_dir or self.data_path / defaults.ARCHIVE_DIR).expanduser().resolve()

    @property
    def archive_replica_path(self) -> Path:
        """Root of the packages' second copy."""
        default = self.data_path / defaults.ARCHIVE_REPLICA_DIR
        return (self.archive_replica_dir or default).expanduser().resolve()


@functools.cache
def get_settings() -> Settings:
    """The process's settings, built once on first use (never at import time)."""
    return Settings()
