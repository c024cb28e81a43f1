"""A signed-in browser for tests of the clerk's pages: its session cookie and the CSRF token
its forms carry."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config.settings import Settings
from storage.enums import TokenKind


class Clerk:
    """A signed-in user's browser: the session cookie, and the CSRF token forms carry."""

    def __init__(self, client: TestClient, settings: Settings, who: Principal) -> None:
        issued = issue_token(settings, who, TokenKind.SESSION)
        self.client, self.csrf = client, issued.principal.csrf_token
        self.headers = {"Cookie": f"{SESSION_COOKIE}={issued.token}"}

    def get(self, url: str) -> str:
        self.client.cookies.clear()
        reply = self.client.get(url, headers=self.headers)
        assert reply.status_code == 200, reply.text[:300]
        return str(reply.text)

    def post(self, url: str, **form: str) -> int:
        """POST a form with the page's CSRF token (unless the form names its own)."""
        self.client.cookies.clear()
        reply = self.client.post(
            url, data={"csrf": self.csrf} | form, headers=self.headers, follow_redirects=False
        )
        return int(reply.status_code)

    def post_without_csrf(self, url: str, **form: str) -> int:
        """POST a form as another site's page would make the browser send it: the cookie
        goes along, the CSRF token does not."""
        self.client.cookies.clear()
        reply = self.client.post(url, data=form, headers=self.headers, follow_redirects=False)
        return int(reply.status_code)
