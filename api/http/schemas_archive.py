"""What the API answers to the archivist's actions that queue or settle work: a sealing
queued, fixity alerts acknowledged."""

from __future__ import annotations

from api.http.schemas_dossiers import Answer


class SealQueued(Answer):
    """A dossier's archiving, queued (GET /api/jobs/{job_id} follows it)."""

    code: str
    job_id: str


class AlertsAcknowledged(Answer):
    """How many fixity alerts were acknowledged."""

    acknowledged: int
