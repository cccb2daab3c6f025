"""One staff login with Entra ID in real Chromium (issue 16): the workbench's login page,
its Entra ID button, the provider (a real OpenID provider on a loopback port, which approves
at once), and back on the workbench, logged in with the rights of the app role."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.accounts.models import User
from erhvervskontakt.identity.models import LoginEvent
from erhvervskontakt.testing.oidc_provider import (  # noqa: F401  (fixtures)
    OidcTestProvider,
    oidc_provider_fixture,
    oidc_provider_server_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_logs_in_with_entra_id_in_the_browser(
    new_page, screenshot, axe, oidc_provider: OidcTestProvider, settings, catalogue
):
    settings.OIDC_ROLE_MAP = json.dumps({"EK.Tovholder": "coordinator"})
    person = oidc_provider.sign_in_as(roles=["EK.Tovholder"], name="Karen Kofoed")
    page = new_page()
    page.goto("/medarbejder/soeg/")
    assert re.search(r"/medarbejder/log-ind/\?next=/medarbejder/soeg/$", page.url)
    assert axe(page) == []
    screenshot(page, "entra-id-login")
    page.get_by_role("link", name="Log på med Microsoft Entra ID").click()
    page.wait_for_url("**/medarbejder/soeg/")
    expect(page.locator(".portal-user")).to_contain_text("Karen Kofoed")
    user = User.objects.get(username=f"entra-id:{person.oid}")
    assert user.is_coordinator
    assert LoginEvent.objects.get(kind="login").user == user
    # Logging out ends the session; the workbench asks for a login again.
    page.get_by_role("button", name="Log af").first.click()
    page.wait_for_url("**/medarbejder/log-ind/")
    expect(page.get_by_role("link", name="Log på med Microsoft Entra ID")).to_be_visible()
