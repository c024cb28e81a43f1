"""Backups: a consistent snapshot of the database, blobs and archive as one BagIt bag, and
its restore onto a fresh data directory."""
