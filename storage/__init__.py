"""Database models and repositories, the content-addressed blob store, migrations."""
