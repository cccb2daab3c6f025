"""Staff log in with the municipality's Entra ID (issue 16): the whole round trip through the
Django test client against a real OpenID provider over real HTTP
(``erhvervskontakt.testing.oidc_provider``) — start, the provider's authorize endpoint, the
callback, the code exchanged with the PKCE verifier, the RS256 ID token verified against the
JWKS. Every refusal is a Danish page with the request id and a way back, no session, and a
refused line with its reason in the login log."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.identity.models import ExternalIdentity, LoginEvent, StaffRoleMapping
from erhvervskontakt.testing.oidc_provider import (  # noqa: F401  (fixtures)
    OidcTestProvider,
    oidc_provider_fixture,
    oidc_provider_server_fixture,
)

pytestmark = pytest.mark.django_db

START = "/medarbejder/log-ind/entra-id/"
ROLES = {
    "EK.Tovholder": "coordinator",
    "EK.Enhedsleder": "head_of_unit",
    "EK.Byggeri": "caseworker:byggeri",
    "EK.Admin": "administrator",
}
PASSWORD = "Medarbejder-2026"


@pytest.fixture
def entra(oidc_provider: OidcTestProvider, settings: Any, catalogue: Any) -> OidcTestProvider:
    settings.OIDC_ROLE_MAP = json.dumps(ROLES)
    return oidc_provider


def round_trip(client: Client, *, start: str = START) -> Any:
    """Start on the workbench, follow the redirect to the provider over HTTP, come back."""
    started = client.get(start)
    assert started.status_code == 302, started.content
    authorize = requests.get(started["Location"], allow_redirects=False, timeout=10)
    assert authorize.status_code == 302, authorize.text
    back = urlsplit(authorize.headers["Location"])
    assert back.netloc == "testserver"
    assert back.path == "/medarbejder/log-ind/entra-id/svar/"
    return client.get(f"{back.path}?{back.query}")


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def assert_refused(response: Any, reason: str) -> LoginEvent:
    body = response.content.decode()
    assert response.status_code in (403, 503)
    assert '<html lang="da"' in body
    assert "Fejlnummer" in body
    assert response["X-Request-ID"] in body
    assert 'href="/medarbejder/log-ind/"' in body
    event = LoginEvent.objects.get()
    assert (event.kind, event.method, event.reason) == ("refused", "entra_id", reason)
    assert event.request_id == response["X-Request-ID"]
    return event


# --- logging in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app_roles", "flags", "department", "lands_on"),
    [
        (["EK.Tovholder"], (False, False, True), None, "/medarbejder/screening/"),
        (["EK.Enhedsleder"], (False, True, False), None, "/medarbejder/screening/"),
        (["EK.Byggeri"], (False, False, False), "byggeri", "/medarbejder/afdeling/"),
        (["EK.Admin", "Noget.Andet"], (True, False, False), None, "/medarbejder/screening/"),
    ],
)
def test_a_member_of_staff_logs_in_with_entra_id_and_gets_the_rights_of_their_app_roles(
    entra, app_roles, flags, department, lands_on
):
    person = entra.sign_in_as(roles=app_roles, name="Karen Kofoed", email="kako@odense.dk")
    client = Client()
    response = round_trip(client)
    assert response.status_code == 302
    assert response["Location"] == "/medarbejder/"
    assert client.get("/medarbejder/")["Location"] == lands_on
    user = User.objects.get(username=f"entra-id:{person.oid}")
    assert user.is_staff and user.is_active
    assert (user.is_superuser, user.is_head_of_unit, user.is_coordinator) == flags
    assert (user.department.code if user.department else None) == department
    assert (user.first_name, user.last_name, user.email) == ("Karen", "Kofoed", "kako@odense.dk")
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get(user=user)
    assert (link.source, link.key) == ("entra_id", f"{entra.tenant_id}:{person.oid}")
    event = LoginEvent.objects.get()
    assert (event.kind, event.method, event.user, event.reason) == (
        "login",
        "entra_id",
        user,
        "",
    )
    assert event.session and event.identity_key == link.key
    # PKCE: the authorize request carried an S256 challenge, the token request the verifier.
    (asked,) = entra.authorize_requests
    assert asked["code_challenge_method"] == "S256" and asked["nonce"] and asked["state"]
    (exchanged,) = entra.token_requests
    assert len(exchanged["code_verifier"]) >= 43


def test_one_full_login_round_trip_is_quick(entra):
    entra.sign_in_as(roles=["EK.Tovholder"])
    client = Client()
    round_trip(client)  # warms the discovery and JWKS caches as production's first login does
    client.post("/medarbejder/log-ud/")
    began = time.perf_counter()
    response = round_trip(client)
    took = time.perf_counter() - began
    print(
        f"\nOne full Entra ID login round trip (test client + provider over HTTP): {took * 1000:.0f} ms"
    )
    assert response.status_code == 302 and logged_in(client)
    assert took < 5


def test_roles_are_synced_again_at_every_login_set_and_cleared(entra):
    person = entra.sign_in_as(roles=["EK.Tovholder", "EK.Byggeri"], name="Karen Kofoed")
    round_trip(Client())
    user = User.objects.get(username=f"entra-id:{person.oid}")
    assert user.is_coordinator and user.department.code == "byggeri"
    entra.sign_in_as(
        oid=person.oid, roles=["EK.Enhedsleder"], name="Karen Kofoed Hansen", email="kkh@odense.dk"
    )
    client = Client()
    assert round_trip(client).status_code == 302
    user.refresh_from_db()
    assert (user.is_coordinator, user.is_head_of_unit, user.department) == (False, True, None)
    assert (user.last_name, user.email) == ("Kofoed Hansen", "kkh@odense.dk")
    assert User.objects.filter(username__startswith="entra-id:").count() == 1


def test_the_administrators_mapping_wins_over_the_environments_for_the_same_app_role(entra):
    StaffRoleMapping.objects.create(app_role="EK.Tovholder", role="head_of_unit")
    StaffRoleMapping.objects.create(app_role="EK.Ekstra", role="coordinator", active=False)
    person = entra.sign_in_as(roles=["EK.Tovholder", "EK.Ekstra"])
    round_trip(Client())
    user = User.objects.get(username=f"entra-id:{person.oid}")
    assert (user.is_head_of_unit, user.is_coordinator) == (True, False)


def test_a_person_whose_roles_no_longer_give_access_is_refused_and_loses_their_rights(entra):
    person = entra.sign_in_as(roles=["EK.Tovholder"])
    earlier = Client()
    round_trip(earlier)
    assert earlier.get("/medarbejder/screening/").status_code == 200
    LoginEvent.objects.all().delete()
    entra.sign_in_as(oid=person.oid, roles=["Noget.Andet"])
    client = Client()
    response = round_trip(client)
    event = assert_refused(response, "no_role")
    assert "Du har ikke adgang" in response.content.decode()
    assert response.status_code == 403 and not logged_in(client)
    user = User.objects.get(username=f"entra-id:{person.oid}")
    assert event.user == user
    assert (user.is_staff, user.is_coordinator, user.department) == (False, False, None)
    # The session from before no longer opens the workbench.
    assert earlier.get("/medarbejder/screening/").status_code == 403


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ({"issuer": "https://login.microsoftonline.com/evil/v2.0"}, "issuer"),
        ({"audience": "another-client"}, "audience"),
        ({"expired": True}, "expired"),
        ({"foreign_key": True}, "signature"),
        ({"nonce": "not-the-one-we-sent"}, "nonce"),
        ({"tenant_id": "00000000-0000-0000-0000-000000000bad"}, "tenant"),
        ({"error": "access_denied"}, "provider_error"),
        ({"omit_code": True}, "missing_code"),
    ],
)
def test_a_login_that_is_not_right_is_refused_on_a_danish_page_without_a_session(
    entra, tamper, reason
):
    entra.sign_in_as(roles=["EK.Admin"])
    entra.tamper(**tamper)
    client = Client()
    response = round_trip(client)
    assert_refused(response, reason)
    assert response.status_code == 403
    assert not logged_in(client)
    assert not User.objects.filter(username__startswith="entra-id:").exists()
    assert not ExternalIdentity.objects.exists()


def test_a_person_without_any_role_is_told_they_have_no_access(entra):
    entra.sign_in_as(roles=[])
    client = Client()
    response = round_trip(client)
    assert_refused(response, "no_role")
    body = response.content.decode()
    assert "Du har ikke adgang" in body and "Kontakt din leder" in body
    assert not logged_in(client) and not User.objects.filter(is_staff=True).exists()


def _callback_url(entra: OidcTestProvider, client: Client) -> str:
    started = client.get(START)
    authorize = requests.get(started["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(authorize.headers["Location"])
    return f"{back.path}?{back.query}"


def test_a_callback_replayed_in_the_same_browser_is_refused(entra):
    entra.sign_in_as(roles=["EK.Tovholder"])
    client = Client()
    callback = _callback_url(entra, client)
    assert client.get(callback).status_code == 302
    client.post("/medarbejder/log-ud/")
    LoginEvent.objects.all().delete()
    # After logging out the session is new: the state is unknown there.
    response = client.get(callback)
    assert_refused(response, "state")
    assert not logged_in(client)


def test_a_callback_used_twice_without_logging_out_is_a_replay(entra):
    entra.sign_in_as(roles=["EK.Tovholder"])
    first, second = Client(), Client()
    callback = _callback_url(entra, first)
    # Opened in the browser that started it, the state is used once …
    assert first.get(callback).status_code == 302
    logins = LoginEvent.objects.count()
    again = first.get(callback)
    assert again.status_code == 403
    replay = LoginEvent.objects.order_by("-id").first()
    assert (replay.reason, LoginEvent.objects.count()) == ("replay", logins + 1)
    # … and in any other browser it was never started.
    LoginEvent.objects.all().delete()
    response = second.get(callback)
    assert_refused(response, "state")
    assert not logged_in(second)


def test_a_code_for_another_browsers_login_is_refused(entra):
    """The state of one browser with the code of another: the verifier does not match the
    code's challenge, so the provider refuses the exchange."""
    entra.sign_in_as(roles=["EK.Tovholder"])
    victim, attacker = Client(), Client()
    victims = parse_qs(urlsplit(_callback_url(entra, victim)).query)
    attackers = parse_qs(urlsplit(_callback_url(entra, attacker)).query)
    response = victim.get(
        "/medarbejder/log-ind/entra-id/svar/",
        {"state": victims["state"][0], "code": attackers["code"][0]},
    )
    assert_refused(response, "token_exchange")
    assert not logged_in(victim)


def test_a_callback_without_a_started_login_or_with_junk_is_refused_not_a_500(entra):
    client = Client()
    for query in ({}, {"state": "x" * 5000, "code": "y"}, {"code": "z"}, {"error": "\x00"}):
        LoginEvent.objects.all().delete()
        response = client.get("/medarbejder/log-ind/entra-id/svar/", query)
        assert response.status_code in (400, 403), response.status_code
        if response.status_code == 403:
            assert LoginEvent.objects.get().reason == "state"
    assert not logged_in(client)


def test_the_provider_out_of_reach_is_a_danish_page_not_a_500(entra, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:9/{entra.tenant_id}/v2.0"
    response = Client().get(START)
    assert response.status_code == 503
    assert "Microsoft Entra ID kunne ikke nås" in response.content.decode()


def test_many_refused_callbacks_from_one_address_are_stopped(entra):
    client = Client()
    statuses = [
        client.get("/medarbejder/log-ind/entra-id/svar/", {"state": f"s{i}"}).status_code
        for i in range(25)
    ]
    assert statuses[:20] == [403] * 20
    assert statuses[-1] == 429
    assert LoginEvent.objects.filter(reason="locked").exists()


# --- the password login when Entra ID is on --------------------------------------------------


@pytest.fixture
def break_glass(entra, settings, admin_user) -> User:
    admin_user.set_password(PASSWORD)
    admin_user.save(update_fields=["password"])
    settings.OIDC_BREAK_GLASS_USERS = [admin_user.username, "karen"]
    return admin_user


def test_the_login_page_offers_entra_id_when_it_is_set_up(entra):
    body = Client().get("/medarbejder/log-ind/?next=/medarbejder/soeg/").content.decode()
    assert "Log på med Microsoft Entra ID" in body
    assert 'href="/medarbejder/log-ind/entra-id/?next=%2Fmedarbejder%2Fsoeg%2F"' in body


def test_staff_required_pages_send_to_the_login_page_with_the_entra_id_button(entra):
    client = Client()
    response = client.get("/medarbejder/soeg/", follow=True)
    assert "Log på med Microsoft Entra ID" in response.content.decode()


def test_a_login_started_from_a_page_comes_back_to_it(entra):
    entra.sign_in_as(roles=["EK.Tovholder"])
    client = Client()
    response = round_trip(client, start=f"{START}?next=/medarbejder/soeg/")
    assert response["Location"] == "/medarbejder/soeg/"


def test_with_entra_id_on_only_break_glass_superusers_log_in_with_a_password(break_glass, karen):
    karen.set_password(PASSWORD)
    karen.save(update_fields=["password"])
    refused = Client()
    response = refused.post("/medarbejder/log-ind/", {"username": "karen", "password": PASSWORD})
    assert response.status_code == 422
    assert "Microsoft Entra ID" in response.content.decode()
    assert not logged_in(refused)
    event = LoginEvent.objects.get()
    assert (event.kind, event.method, event.reason) == (
        "refused",
        "workbench_password",
        "password_off",
    )
    client = Client()
    ok = client.post("/medarbejder/log-ind/", {"username": "admin", "password": PASSWORD})
    assert ok.status_code == 302 and logged_in(client)
    login = LoginEvent.objects.get(kind="login")
    assert (login.method, login.user) == ("workbench_password", break_glass)
    client.post("/medarbejder/log-ud/")
    logout = LoginEvent.objects.get(kind="logout")
    assert (logout.method, logout.user, logout.session) == (
        "workbench_password",
        break_glass,
        login.session,
    )


def test_without_entra_id_staff_log_in_with_a_password_and_it_is_logged(karen, settings):
    settings.OIDC_ISSUER = ""
    karen.set_password(PASSWORD)
    karen.save(update_fields=["password"])
    client = Client()
    page = client.get("/medarbejder/log-ind/").content.decode()
    assert "Entra ID" not in page
    wrong = client.post("/medarbejder/log-ind/", {"username": "karen", "password": "forkert"})
    assert wrong.status_code == 422
    ok = client.post("/medarbejder/log-ind/", {"username": "karen", "password": PASSWORD})
    assert ok.status_code == 302
    assert list(LoginEvent.objects.order_by("id").values_list("kind", "reason", "method")) == [
        ("refused", "bad_password", "workbench_password"),
        ("login", "", "workbench_password"),
    ]


def test_a_locked_password_login_is_logged_as_locked(karen, settings):
    settings.OIDC_ISSUER = ""
    client = Client()
    for i in range(6):
        client.post("/medarbejder/log-ind/", {"username": "karen", "password": f"x{i}"})
    reasons = list(LoginEvent.objects.order_by("id").values_list("reason", flat=True))
    assert reasons == ["bad_password"] * 5 + ["locked"]


def test_logging_out_after_entra_id_is_logged_as_entra_id(entra):
    entra.sign_in_as(roles=["EK.Tovholder"])
    client = Client()
    round_trip(client)
    client.post("/medarbejder/log-ud/")
    assert not logged_in(client)
    logout = LoginEvent.objects.get(kind="logout")
    assert logout.method == "entra_id"
    assert logout.session == LoginEvent.objects.get(kind="login").session


# --- the administration ---------------------------------------------------------------------


def test_the_login_log_is_read_only_in_the_administration(entra, admin_user):
    entra.sign_in_as(roles=["EK.Tovholder"])
    round_trip(Client())
    admin = Client()
    admin.force_login(admin_user)
    listing = admin.get("/admin/identity/loginevent/?kind__exact=login")
    assert listing.status_code == 200
    event = LoginEvent.objects.get()
    assert admin.get(f"/admin/identity/loginevent/{event.pk}/change/").status_code == 200
    assert admin.get("/admin/identity/loginevent/add/").status_code == 403
    assert admin.post(f"/admin/identity/loginevent/{event.pk}/delete/").status_code == 403
    assert admin.get("/admin/identity/externalidentity/add/").status_code == 403
    assert admin.get("/admin/identity/staffrolemapping/add/").status_code == 200
    assert LoginEvent.objects.filter(pk=event.pk).exists()
