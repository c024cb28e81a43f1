"""Digital signatures on result documents: signers, stamps, PAdES signing and verification."""
