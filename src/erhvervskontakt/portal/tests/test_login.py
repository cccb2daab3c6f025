"""Log in and out: business users in, others told where to go; failures rate limited."""

from __future__ import annotations

import pytest
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.web.ratelimit import LoginThrottle

pytestmark = pytest.mark.django_db

PASSWORD = "Hemmelig-kode-42"


@pytest.fixture
def owner_with_password(owner: User) -> User:
    owner.set_password(PASSWORD)
    owner.save()
    return owner


def log_in(client: Client, username: str, password: str, **extra: str):
    return client.post("/log-ind/", {"username": username, "password": password, **extra})


@pytest.mark.parametrize(
    "path",
    ["/sager/", "/henvendelse/ny/", "/sager/EK-2026-00001/", "/henvendelse/1/trin/1/"],
)
def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/log-ind/?next={path}"


def test_the_login_page_says_production_logins_use_mitid_erhverv(client: Client) -> None:
    html = client.get("/log-ind/").content.decode()

    assert "MitID Erhverv" in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html


def test_a_business_user_logs_in_with_e_mail_and_returns_to_next(
    client: Client, owner_with_password: User
) -> None:
    response = log_in(client, owner_with_password.username, PASSWORD, next="/henvendelse/ny/")

    assert response.status_code == 302
    assert response["Location"] == "/henvendelse/ny/"
    assert client.get("/henvendelse/ny/").status_code == 200


def test_the_e_mail_s_domain_may_be_typed_in_capitals(
    client: Client, owner_with_password: User
) -> None:
    local, domain = owner_with_password.username.split("@")

    response = log_in(client, f"{local}@{domain.upper()}", PASSWORD)

    assert response.status_code == 302


def test_without_next_a_business_user_lands_on_my_cases(
    client: Client, owner_with_password: User
) -> None:
    response = log_in(client, owner_with_password.username, PASSWORD)

    assert response["Location"] == "/sager/"


def test_a_next_to_another_site_is_ignored(client: Client, owner_with_password: User) -> None:
    response = log_in(client, owner_with_password.username, PASSWORD, next="https://evil.example/")

    assert response["Location"] == "/sager/"


def test_a_wrong_password_gives_a_danish_error_and_keeps_the_e_mail(
    client: Client, owner_with_password: User
) -> None:
    response = log_in(client, owner_with_password.username, "forkert")

    html = response.content.decode()
    assert response.status_code == 422
    assert "E-mailadressen eller adgangskoden er forkert." in html
    assert 'data-module="error-summary"' in html
    assert f'value="{owner_with_password.username}"' in html
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named_at_the_fields(client: Client) -> None:
    html = log_in(client, "", "").content.decode()

    assert 'href="#brugernavn"' in html and "Skriv e-mailadressen." in html
    assert 'href="#adgangskode"' in html and "Skriv adgangskoden." in html
    assert 'aria-describedby="brugernavn-error"' in html


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client: Client, owner_with_password: User
) -> None:
    for _ in range(5):
        assert log_in(client, owner_with_password.username, "forkert").status_code == 422

    response = log_in(client, owner_with_password.username, PASSWORD)

    assert response.status_code == 429
    assert "for mange forkerte forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_for_one_account_do_not_block_another_from_the_same_address(
    client: Client, owner_with_password: User, other_owner: User
) -> None:
    for _ in range(5):
        log_in(client, "someone@else.dk", "forkert")

    response = log_in(client, owner_with_password.username, PASSWORD)

    assert response.status_code == 302


def test_twenty_failures_from_one_address_block_every_account_from_it(
    client: Client, owner_with_password: User
) -> None:
    for number in range(20):
        log_in(client, f"gaet{number}@firma.dk", "forkert")

    response = log_in(client, owner_with_password.username, PASSWORD)

    assert response.status_code == 429


def test_a_successful_login_forgets_the_account_s_earlier_failures(
    client: Client, owner_with_password: User
) -> None:
    for _ in range(4):
        log_in(client, owner_with_password.username, "forkert")
    assert log_in(client, owner_with_password.username, PASSWORD).status_code == 302

    throttle = LoginThrottle(ip="127.0.0.1", username=owner_with_password.username)
    assert not throttle.is_blocked()


def test_staff_logging_in_here_are_told_about_the_workbench(client: Client, karen: User) -> None:
    karen.set_password(PASSWORD)
    karen.save()

    response = log_in(client, "karen", PASSWORD)
    followed = client.get(response["Location"])

    assert response["Location"] == "/"
    assert "Du er logget på som medarbejder" in followed.content.decode()
    assert client.get("/sager/")["Location"] == "/log-ind/?next=/sager/"


def test_a_user_whose_access_ended_is_told_to_contact_the_municipality(
    client: Client, owner_with_password: User
) -> None:
    Membership.objects.filter(user=owner_with_password).update(active=False)

    response = log_in(client, owner_with_password.username, PASSWORD)

    assert response["Location"] == "/"
    assert "kan ikke handle for nogen virksomhed" in client.get("/").content.decode()


def test_log_out_is_a_post(owner_client: Client) -> None:
    assert owner_client.get("/log-ud/").status_code == 405

    response = owner_client.post("/log-ud/")

    assert response["Location"] == "/"
    assert owner_client.get("/sager/").status_code == 302


def test_every_form_carries_a_csrf_token(client: Client, owner_with_password: User) -> None:
    strict = Client(enforce_csrf_checks=True)

    refused = strict.post(
        "/log-ind/", {"username": owner_with_password.username, "password": PASSWORD}
    )

    assert refused.status_code == 403
    assert 'name="csrfmiddlewaretoken"' in client.get("/log-ind/").content.decode()
