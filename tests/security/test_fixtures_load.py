"""The security suite reaches the web app's fixtures (a smoke test of its conftest)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_web_app_answers_its_health_check(app_client: TestClient) -> None:
    assert app_client.get("/api/health").status_code == 200
