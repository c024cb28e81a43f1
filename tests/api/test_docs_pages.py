"""The API's documentation pages load everything from our own /static (closed government
networks block CDNs), under a Content-Security-Policy with no inline script."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_pages_load_only_vendored_assets_under_a_policy(app_client: TestClient) -> None:
    """GIVEN the app WHEN /docs and /redoc are asked THEN every script and stylesheet they
    name is under /static and is served; no page carries inline script, and the policy
    allows scripts only from our origin."""
    for url in ("/docs", "/redoc"):
        reply = app_client.get(url)
        assert reply.status_code == 200
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy and "cdn" not in reply.text.lower()
        assets = re.findall(r'(?:src|href)="([^"]+)"', reply.text)
        assert assets and all(a.startswith("/static/") for a in assets), assets
        for asset in assets:
            assert app_client.get(asset).status_code == 200, asset
        assert not re.search(r"<script>(?!</script>)", reply.text)  # no inline script
    assert "openapi" in app_client.get("/openapi.json").json()
    assert app_client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
    assert app_client.get("/static/vendor/redoc/LICENSE").status_code == 200
