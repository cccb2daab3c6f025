"""API tokens in the administration (issue 18): listed with their user, scopes, dates and
status, filtered by status, revoked by an action that records who did it, made with the
secret shown once; the stored hash never shown. Django's test client as the superuser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from erhvervskontakt.accounts.models import ApiToken, User
from erhvervskontakt.accounts.selectors import user_for_token
from erhvervskontakt.accounts.services import api_token_create, api_token_revoke
from erhvervskontakt.audit.models import PersonalDataRead

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/apitoken/"
# 10:00 in Copenhagen.
MORNING = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def admin(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def tokens(karen: User, owner: User) -> dict[str, ApiToken]:
    """One token of each status at MORNING."""
    with time_machine.travel(MORNING - dt.timedelta(days=2), tick=False):
        active, _ = api_token_create(user=karen, name="Fagsystem", scopes=["read", "write"])
        expired, _ = api_token_create(
            user=owner, name="Gammel", expires_at=MORNING - dt.timedelta(days=1)
        )
        revoked, _ = api_token_create(user=karen, name="Tabt", scopes=["admin"])
        api_token_revoke(token=revoked)
    return {"active": active, "expired": expired, "revoked": revoked}


def test_the_list_shows_each_token_with_scopes_dates_and_status_never_its_hash(admin, tokens):
    with time_machine.travel(MORNING, tick=False):
        response = admin.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    for header in ("Begyndelse", "Bruger", "Navn", "Rettigheder", "Oprettet", "Sidst brugt",
                   "Udløber", "Tilbagekaldt", "Status"):  # fmt: skip
        assert f">{header}<" in page or f">{header}</a>" in page, header
    assert "read, write" in page and "read, intake, write" in page
    statuses = re.findall(r'<td class="field-status">([^<]*)</td>', page)
    assert sorted(statuses) == ["Aktiv", "Tilbagekaldt", "Udløbet"]
    for token in tokens.values():
        assert token.prefix in page
        assert token.key_hash not in page


@pytest.mark.parametrize(
    ("status", "expected"),
    [("aktiv", "active"), ("udloebet", "expired"), ("tilbagekaldt", "revoked")],
)
def test_the_list_filters_by_status(admin, tokens, status, expected):
    with time_machine.travel(MORNING, tick=False):
        response = admin.get(LIST, {"status": status})

    page = response.content.decode()
    assert response.status_code == 200
    shown = {name for name, token in tokens.items() if f"{token.prefix}" in page}
    assert shown == {expected}


def test_a_token_s_page_shows_its_fields_but_not_its_hash_and_cannot_be_changed(admin, tokens):
    token = tokens["active"]

    page = admin.get(f"{LIST}{token.pk}/change/")
    change = admin.post(f"{LIST}{token.pk}/change/", {"name": "Andet", "scopes": ["admin"]})

    assert page.status_code == 200
    html = page.content.decode()
    assert token.prefix in html and "read, write" in html
    assert token.key_hash not in html and "key_hash" not in html
    assert "600 (standard)" in html
    assert change.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).name == "Fagsystem"
    assert admin.get(f"{LIST}{token.pk}/delete/").status_code == 403
    assert "delete_selected" not in admin.get(LIST).content.decode()


def test_tilbagekald_revokes_the_chosen_tokens_records_who_and_then_they_are_refused(
    admin, admin_user, karen
):
    token, raw = api_token_create(user=karen, name="Fagsystem")
    _, other_raw = api_token_create(user=karen, name="Andet")
    assert "Tilbagekald" in admin.get(LIST).content.decode()

    done = admin.post(
        LIST, {"action": "revoke_tokens", "_selected_action": [token.pk]}, follow=True
    )

    assert "1 API-nøgle(r) tilbagekaldt." in done.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == admin_user and token.revoked_at is not None
    assert user_for_token(raw) is None
    assert user_for_token(other_raw) is not None  # only the chosen one
    assert ApiToken.objects.count() == 2  # recorded, never deleted
    history = admin.get(f"{LIST}{token.pk}/history/").content.decode()
    assert "Tilbagekaldt." in history
    # Revoked once: revoking again changes nothing and says so.
    again = admin.post(
        LIST, {"action": "revoke_tokens", "_selected_action": [token.pk]}, follow=True
    )
    assert "allerede tilbagekaldt" in again.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == admin_user


def test_staff_without_the_right_cannot_see_or_revoke_tokens(karen):
    token, raw = api_token_create(user=karen)
    staff = Client()
    staff.force_login(karen)  # staff, but no permission on API tokens

    assert staff.get(LIST).status_code == 403
    response = staff.post(LIST, {"action": "revoke_tokens", "_selected_action": [token.pk]})

    assert response.status_code == 403
    assert user_for_token(raw) is not None


def test_making_a_token_in_the_administration_shows_its_secret_once(admin, owner):
    form = admin.get(f"{LIST}add/")
    assert form.status_code == 200
    assert "key_hash" not in form.content.decode()

    with time_machine.travel(MORNING, tick=False):
        response = admin.post(
            f"{LIST}add/",
            {
                "user": owner.pk,
                "name": "Bogholderi",
                "scopes": ["read", "intake"],
                "valid_until": "2027-06-30",
                "rate_per_minute": "50",
            },
        )

    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = re.search(r'id="api-token-secret"[^>]*value="(ek_[^"]+)"', page)
    assert secret is not None, page
    found = user_for_token(secret.group(1))
    assert found is not None and found[0] == owner
    token = found[1]
    assert (token.name, token.scopes, token.rate_per_minute) == (
        "Bogholderi",
        ["read", "intake"],
        50,
    )
    # Valid to the end of 30 June, Copenhagen time (summer: UTC+2).
    assert token.expires_at == dt.datetime(2027, 6, 30, 22, 0, tzinfo=dt.UTC)
    assert "Kopiér nøglen nu" in page
    # Never again: not on the list, not on the token's own page.
    assert secret.group(1) not in admin.get(LIST).content.decode()
    assert secret.group(1) not in admin.get(f"{LIST}{token.pk}/change/").content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"valid_until": "2026-11-30"}, "valid_until"),
        ({"rate_per_minute": "0"}, "rate_per_minute"),
    ],
)
def test_a_token_with_no_scopes_a_past_end_or_no_rate_is_refused(admin, owner, change, field):
    data = {"user": owner.pk, "name": "X", "scopes": ["read"], "valid_until": "2027-01-31"}
    data.update(change)
    with time_machine.travel(MORNING, tick=False):
        response = admin.post(f"{LIST}add/", data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not ApiToken.objects.exists()


def test_a_token_for_an_inactive_user_is_refused(admin, owner):
    owner.is_active = False
    owner.save()

    response = admin.post(
        f"{LIST}add/",
        {"user": owner.pk, "scopes": ["read"], "valid_until": "2030-01-31"},
    )

    assert "user" in response.context["adminform"].form.errors
    assert not ApiToken.objects.exists()


def test_the_token_pages_are_read_logged_like_every_admin_page(admin, admin_user, tokens):
    admin.get(LIST, {"status": "aktiv"})
    admin.get(f"{LIST}{tokens['active'].pk}/change/")

    rows = list(PersonalDataRead.objects.order_by("id"))
    assert [(r.route, r.purpose, r.user_id) for r in rows] == [
        ("admin:accounts_apitoken_changelist", "administration", admin_user.pk),
        ("admin:accounts_apitoken_change", "administration", admin_user.pk),
    ]
    assert rows[0].criterion == "status=aktiv"
    assert rows[1].criterion == f"accounts.apitoken:{tokens['active'].pk}"
