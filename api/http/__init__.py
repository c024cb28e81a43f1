"""The HTTP API (FastAPI): the only place sohoa imports a web framework."""
