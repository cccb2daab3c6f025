"""Every login is locked after too many failures (issue 15): the portal, the workbench, the
administration and the API's tokens. 30 wrong passwords and then the right one do not log in;
the person is told in Danish when to try again and whom to contact; the lock is one row an
administrator sees and lifts in the administration, after which the right password works.

With ``CACHE_URL=redis://…`` set these tests count in that Redis, as production does.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from erhvervskontakt.accounts.lockouts import PER_ACCOUNT, PER_IP
from erhvervskontakt.accounts.models import ApiToken, LoginLockout, User
from erhvervskontakt.accounts.services import api_token_create, api_token_revoke
from erhvervskontakt.catalogue.models import Municipality

pytestmark = pytest.mark.django_db

RIGHT = "Rigtig-kode-2026"
# 10:00 in Copenhagen; a lock started now ends at 10:15 local time.
MORNING = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

LOGINS = {
    "portal": "/log-ind/",
    "workbench": "/medarbejder/log-ind/",
    "admin": "/admin/login/",
}


@pytest.fixture(autouse=True)
def _counts_in_redis_when_asked(_empty_cache: None, settings: Any) -> None:
    if os.environ.get("CACHE_URL", "").startswith("redis"):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["CACHE_URL"],
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }


@pytest.fixture(autouse=True)
def _quick_hashing(settings: Any) -> None:
    """Hundreds of password checks: a fast hasher (what is counted does not change)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def morning() -> Any:
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(owner: User, admin_user: User, karen: User) -> dict[str, User]:
    """Who logs in where: the business owner on the portal, staff on the workbench, the
    administrator in the administration."""
    for user in (owner, admin_user, karen):
        user.set_password(RIGHT)
        user.save(update_fields=["password"])
    return {"portal": owner, "workbench": karen, "admin": admin_user}


def log_in(client: Client, scope: str, username: str, password: str, **extra: Any) -> Any:
    return client.post(LOGINS[scope], {"username": username, "password": password}, **extra)


@pytest.mark.parametrize("scope", ["portal", "workbench", "admin"])
def test_thirty_wrong_passwords_and_then_the_right_one_do_not_log_in(
    scope: str, people: dict[str, User], morning: Any
) -> None:
    client = Client()
    user = people[scope]

    statuses = [log_in(client, scope, user.username, f"forkert{i}").status_code for i in range(30)]
    refused = log_in(client, scope, user.username, RIGHT)

    assert statuses.index(429) == PER_ACCOUNT  # the sixth attempt is refused untried
    assert set(statuses[PER_ACCOUNT:]) == {429}
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(15 * 60)
    assert "kl. 10:15" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    lockout = LoginLockout.objects.get()  # one row for the lock, not one per failure
    assert (lockout.scope, lockout.kind, lockout.username, lockout.failures) == (
        scope,
        "account",
        user.username,
        PER_ACCOUNT,
    )
    assert lockout.locked_until == MORNING + dt.timedelta(minutes=15)


def test_a_locked_business_is_told_when_to_try_again_and_how_to_reach_the_municipality(
    people: dict[str, User], morning: Any
) -> None:
    Municipality.objects.filter(pk=1).update(phone="72 36 00 00", email="erhverv@kommune.dk")
    client = Client()
    for i in range(PER_ACCOUNT):
        log_in(client, "portal", people["portal"].username, f"forkert{i}")

    html = log_in(client, "portal", people["portal"].username, RIGHT).content.decode()

    assert (
        "I kan prøve igen kl. 10:15 eller kontakte Erhvervskontakt på telefon 72 36 00 00 "
        "eller e-mail erhverv@kommune.dk." in html
    )


def test_without_contact_details_the_business_is_sent_to_the_municipality_by_name(
    people: dict[str, User], morning: Any
) -> None:
    Municipality.objects.filter(pk=1).update(name="Testkommune", phone="", email="")
    client = Client()
    for i in range(PER_ACCOUNT):
        log_in(client, "portal", people["portal"].username, f"forkert{i}")

    html = log_in(client, "portal", people["portal"].username, RIGHT).content.decode()

    assert "I kan prøve igen kl. 10:15 eller kontakte Erhvervskontakt hos Testkommune." in html


def test_the_lock_message_is_translated(people: dict[str, User], morning: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for i in range(PER_ACCOUNT):
        log_in(client, "workbench", "karen", f"forkert{i}")
        log_in(client, "portal", people["portal"].username, f"forkert{i}")

    staff = log_in(client, "workbench", "karen", RIGHT).content.decode()
    business = log_in(client, "portal", people["portal"].username, RIGHT).content.decode()

    assert "Try again at 10:15" in staff and "IT department" in staff
    assert "You can try again at 10:15" in business


@pytest.mark.parametrize("scope", ["workbench", "admin"])
def test_locked_staff_are_told_to_ask_it_or_an_administrator(
    scope: str, people: dict[str, User], morning: Any
) -> None:
    client = Client()
    for i in range(PER_ACCOUNT):
        log_in(client, scope, people[scope].username, f"forkert{i}")

    html = log_in(client, scope, people[scope].username, RIGHT).content.decode()

    assert "Prøv igen kl. 10:15" in html
    assert "kontakt it-afdelingen eller en administrator" in html


def test_every_failure_and_the_lock_are_logged_and_no_password_is(
    people: dict[str, User], caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="erhvervskontakt.security")
    client = Client(REMOTE_ADDR="10.20.30.40")
    for i in range(PER_ACCOUNT + 1):
        log_in(client, "admin", "admin", f"hemmelig-{i}")

    lines = [r.getMessage() for r in caplog.records if r.name == "erhvervskontakt.security"]
    assert sum(line.startswith("login failed: scope=admin username='admin'") for line in lines) == (
        PER_ACCOUNT
    )
    assert sum(line.startswith("login locked: scope=admin kind=account") for line in lines) == 1
    assert sum(line.startswith("login refused while locked") for line in lines) == 1
    assert all("ip=10.20.30.40" in line for line in lines)
    assert not any("hemmelig" in line for line in lines)


def test_the_administrator_sees_the_lock_and_lifting_it_lets_the_right_password_in(
    people: dict[str, User], admin_user: User
) -> None:
    karen_client = Client()
    for i in range(PER_ACCOUNT):
        log_in(karen_client, "workbench", "karen", f"forkert{i}")
    assert log_in(karen_client, "workbench", "karen", RIGHT).status_code == 429
    lockout = LoginLockout.objects.get()
    admin = Client()
    admin.force_login(admin_user)

    listing = admin.get("/admin/accounts/loginlockout/?tilstand=aktiv")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "karen" in page and "Spærret nu" in page and "Ophæv spærring" in page
    done = admin.post(
        "/admin/accounts/loginlockout/",
        {"action": "clear_locks", "_selected_action": [lockout.pk]},
        follow=True,
    )

    assert "1 spærring(er) ophævet." in done.content.decode()
    lockout.refresh_from_db()
    assert lockout.cleared_by == admin_user and lockout.cleared_at is not None
    assert LoginLockout.objects.count() == 1  # recorded, never deleted
    assert log_in(karen_client, "workbench", "karen", RIGHT).status_code == 302
    # Lifted once: lifting it again changes nothing and says so.
    again = admin.post(
        "/admin/accounts/loginlockout/",
        {"action": "clear_locks", "_selected_action": [lockout.pk]},
        follow=True,
    )
    assert "allerede ophævet eller udløbet" in again.content.decode()
    lockout.refresh_from_db()
    assert lockout.cleared_by == admin_user


def test_the_lock_is_a_record_no_one_edits_or_deletes_in_the_administration(
    people: dict[str, User], admin_user: User
) -> None:
    for i in range(PER_ACCOUNT):
        log_in(Client(), "workbench", "karen", f"forkert{i}")
    lockout = LoginLockout.objects.get()
    admin = Client()
    admin.force_login(admin_user)

    assert admin.get("/admin/accounts/loginlockout/add/").status_code == 403
    assert admin.get(f"/admin/accounts/loginlockout/{lockout.pk}/delete/").status_code == 403
    change = admin.post(
        f"/admin/accounts/loginlockout/{lockout.pk}/change/", {"username": "someone"}
    )
    assert change.status_code == 403
    assert LoginLockout.objects.get().username == "karen"
    listing = admin.get("/admin/accounts/loginlockout/").content.decode()
    assert "delete_selected" not in listing


def test_staff_without_the_right_cannot_lift_a_lock(people: dict[str, User], karen: User) -> None:
    for i in range(PER_ACCOUNT):
        log_in(Client(), "portal", people["portal"].username, f"forkert{i}")
    lockout = LoginLockout.objects.get()
    staff = Client()
    staff.force_login(karen)  # staff, but no permission on login locks

    staff.post(
        "/admin/accounts/loginlockout/",
        {"action": "clear_locks", "_selected_action": [lockout.pk]},
    )

    lockout.refresh_from_db()
    assert lockout.cleared_at is None
    assert log_in(Client(), "portal", people["portal"].username, RIGHT).status_code == 429


def test_a_successful_login_forgets_only_the_account_s_failures(
    people: dict[str, User],
) -> None:
    client = Client()
    for i in range(PER_ACCOUNT - 1):
        log_in(client, "workbench", "karen", f"forkert{i}")
    assert log_in(client, "workbench", "karen", RIGHT).status_code == 302
    client.post("/medarbejder/log-ud/")

    for i in range(PER_ACCOUNT - 1):
        assert log_in(client, "workbench", "karen", f"igen{i}").status_code == 422
    # The address still carries all 2 × 4 failures: other names lock it that much earlier.
    remaining = PER_IP - 2 * (PER_ACCOUNT - 1)
    for number in range(remaining):
        assert log_in(client, "workbench", f"gaet{number}", "x").status_code == 422
    assert log_in(client, "workbench", "karen", RIGHT).status_code == 429
    assert LoginLockout.objects.get().kind == "address"


# --- the API's tokens ------------------------------------------------------------------


def api_get(client: Client, token: str | None, ip: str) -> Any:
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.get("/api/v1/cases", REMOTE_ADDR=ip, **extra)


@pytest.fixture
def good_token(owner: User, token_for: Callable[[User], str]) -> str:
    return token_for(owner)


def test_thirty_bad_tokens_lock_the_address_even_for_a_good_token(
    good_token: str, morning: Any
) -> None:
    client = Client()
    statuses = [
        api_get(client, f"ek_{uuid.uuid4().hex}", "10.9.9.9").status_code for _ in range(30)
    ]

    refused = api_get(client, good_token, "10.9.9.9")

    assert statuses.index(429) == PER_IP
    assert set(statuses[:PER_IP]) == {401}
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(15 * 60)
    body = refused.json()
    assert set(body) == {"detail", "code", "errors", "request_id"}
    assert body["code"] == "too_many_attempts" and body["errors"] == {}
    assert "kl. 10:15" in body["detail"]
    # Refused before the token was looked at: its use is not recorded.
    assert ApiToken.objects.get().last_used_at is None
    assert api_get(client, good_token, "10.9.9.8").status_code == 200  # another address
    lockout = LoginLockout.objects.get()
    assert (lockout.scope, lockout.kind, lockout.ip) == ("api", "address", "10.9.9.9")


def test_a_revoked_token_used_again_and_again_locks_that_token_from_that_address(
    owner: User, good_token: str
) -> None:
    row, revoked = api_token_create(user=owner, name="Gammel")
    api_token_revoke(token=row)
    client = Client()

    statuses = [api_get(client, revoked, "10.9.9.9").status_code for _ in range(PER_ACCOUNT + 1)]

    assert statuses == [401] * PER_ACCOUNT + [429]
    lockout = LoginLockout.objects.get()
    assert (lockout.kind, lockout.username) == ("account", row.prefix)
    assert revoked not in lockout.username  # the public prefix, never the secret
    assert api_get(client, good_token, "10.9.9.9").status_code == 200  # another token


def test_requests_without_a_token_are_not_counted(good_token: str) -> None:
    client = Client()
    for _ in range(30):
        assert api_get(client, None, "10.9.9.9").status_code == 401

    assert api_get(client, good_token, "10.9.9.9").status_code == 200
    assert not LoginLockout.objects.exists()


def test_a_bad_token_is_logged_by_its_prefix_only(good_token: str, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="erhvervskontakt.security")
    secret = "ek_" + "s" * 40

    api_get(Client(), secret, "10.9.9.9")

    (line,) = [r.getMessage() for r in caplog.records if r.name == "erhvervskontakt.security"]
    assert line == f"login failed: scope=api username='{secret[:12]}' ip=10.9.9.9"
