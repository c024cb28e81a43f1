"""Alembic migrations of the sohoa schema, run by storage.db.Database.upgrade."""
