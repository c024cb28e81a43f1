"""PAdES baseline levels, and which one a result gets by its procedure or document type."""

from __future__ import annotations

from enum import StrEnum


class PadesLevel(StrEnum):
    """ETSI EN 319 142-1 baseline levels, each adding to the one before."""

    B_B = "B-B"
    """The signature alone: who signed, with the signing time the signer claims."""
    B_T = "B-T"
    """Plus an RFC 3161 timestamp on the signature: when it existed, as a TSA attests."""
    B_LT = "B-LT"
    """Plus the certificates, OCSP responses and CRLs in the document (DSS): verifiable
    after the CA's servers are gone."""
    B_LTA = "B-LTA"
    """Plus a document timestamp over all of that: the archive can renew it before the
    algorithms or the TSA certificate age out, for records kept for decades."""

    @property
    def rank(self) -> int:
        """0 for B-B up to 3 for B-LTA."""
        return list(PadesLevel).index(self)

    @property
    def needs_timestamp(self) -> bool:
        """Whether a timestamp authority must be reachable to sign at this level."""
        return self.rank >= PadesLevel.B_T.rank

    @property
    def embeds_validation_data(self) -> bool:
        """Whether revocation data goes into the document (B-LT and B-LTA)."""
        return self.rank >= PadesLevel.B_LT.rank
