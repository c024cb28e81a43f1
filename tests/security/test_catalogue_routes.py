"""The admin's read-only view of the unit register, the procedure catalogue and the signer
profiles (page and API): admins only, nothing editable, no key's whereabouts shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.accounts import Principal
from config.catalogue import get_catalogue
from config.settings import Settings
from tests.api.conftest import test_signers
from tests.api.counter_support import Clerk

SECRETS_ELSEWHERE = """
  - name: token-pho-chu-tich
    role: leader
    full_name: Trần Văn Bình
    title: Phó Chủ tịch
    unit: UBND xã A
    unit_code: xa-a
    key: {kind: pkcs11, token_label: kho-khoa-7, key_label: khoa-bi-mat-9, pin_env: PIN_CUA_BINH}
  - name: ky-tu-xa
    role: leader
    full_name: Lê Thị Cúc
    unit: UBND xã A
    key: {kind: csc, service_url: "https://csc.example.vn/v1", credential_id: cred-42,
          token_env: CSC_TOKEN_CUA_CUC}
"""
"""Profiles whose keys name a token, a PIN variable, a remote service and its token
variable: what an admin's view must not repeat."""
WHEREABOUTS = ("leader.p12", "kho-khoa-7", "khoa-bi-mat-9", "PIN_CUA_BINH", "csc.example.vn",
               "cred-42", "CSC_TOKEN_CUA_CUC")  # fmt: skip


@pytest.fixture
def with_keys(api_settings: Settings) -> Settings:
    """The test signers plus profiles on a server token and a remote signing service."""
    assert api_settings.catalogue_dir is not None
    (api_settings.catalogue_dir / "signers.yaml").write_text(
        test_signers(SECRETS_ELSEWHERE), "utf-8"
    )
    return api_settings


def test_an_admin_reads_units_procedures_and_signers_but_no_key_whereabouts(
    app_client: TestClient,
    accounts: dict[str, Principal],
    with_keys: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN signer profiles holding key files, a server token and a remote signing service
    WHEN an admin opens the catalogue page and asks the API THEN every unit, procedure and
    profile is listed with its key's kind in Vietnamese, and no file name, token or key
    label, PIN or token variable, or service address appears."""
    page = Clerk(app_client, with_keys, accounts["admin"]).get("/admin/catalogue")
    answer = app_client.get("/api/catalogue", headers=bearer("admin"))
    assert answer.status_code == 200
    body = answer.json()
    catalogue = get_catalogue()
    assert {u["code"] for u in body["units"]} == {u.code for u in catalogue.units}
    assert {p["code"] for p in body["procedures"]} == {p.code for p in catalogue.procedures}
    kinds = {s["name"]: s["key_kind"] for s in body["signers"]}
    assert (kinds["chu-tich"], kinds["token-pho-chu-tich"], kinds["ky-tu-xa"]) == (
        "pkcs12", "pkcs11", "csc",
    )  # fmt: skip
    for unit in catalogue.units[:3]:
        assert unit.name in page
    assert "Giấy khai sinh" in page or "khai sinh" in page.lower()
    assert "token/HSM trên máy chủ" in page and "dịch vụ ký số từ xa" in page
    for secret in WHEREABOUTS:
        assert secret not in page and secret not in answer.text, secret
    assert "<form" not in page.split("<main", 1)[-1].replace('action="/logout"', "")


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "archivist"])
def test_other_roles_may_not_read_the_catalogue_view(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
    who: str,
) -> None:
    """Signer profiles and the register are the admin's to read: another role gets 403."""
    assert app_client.get("/api/catalogue", headers=bearer(who)).status_code == 403
    app_client.cookies.clear()
    reply = app_client.get("/admin/catalogue", headers=Clerk(app_client, api_settings,
                                                              accounts[who]).headers)  # fmt: skip
    assert reply.status_code == 403
