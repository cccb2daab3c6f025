"""Every staff login is rate-limited as the portal's is (issue 15): 30 wrong passwords in a
row on the workbench or the administration, and then the right one, must not log in."""

from __future__ import annotations

import pytest
from django.test import Client

from erhvervskontakt.web.ratelimit import PER_ACCOUNT

pytestmark = pytest.mark.django_db

RIGHT = "Medarbejder-2026"


@pytest.fixture
def admin_staff(admin_user):
    admin_user.set_password(RIGHT)
    admin_user.save(update_fields=["password"])
    return admin_user


@pytest.mark.parametrize(
    ("url", "next_field"),
    [("/medarbejder/log-ind/", "next"), ("/admin/login/", "next")],
)
def test_guessing_a_staff_password_is_stopped_and_says_what_to_do(admin_staff, url, next_field):
    client = Client()
    statuses = [
        client.post(url, {"username": admin_staff.username, "password": f"forkert{i}"}).status_code
        for i in range(30)
    ]
    assert 429 in statuses
    assert statuses.index(429) == PER_ACCOUNT  # the sixth attempt is refused untried
    refused = client.post(url, {"username": admin_staff.username, "password": RIGHT})
    assert refused.status_code == 429
    assert "For mange forkerte forsøg" in refused.content.decode()
    assert refused["Retry-After"]
    assert "_auth_user_id" not in client.session


def test_a_right_password_after_a_few_mistakes_logs_in_and_forgets_them(admin_staff):
    client = Client()
    for i in range(PER_ACCOUNT - 1):
        client.post(
            "/medarbejder/log-ind/", {"username": admin_staff.username, "password": f"x{i}"}
        )
    ok = client.post("/medarbejder/log-ind/", {"username": admin_staff.username, "password": RIGHT})
    assert ok.status_code == 302
    client.post("/medarbejder/log-ud/")
    for i in range(PER_ACCOUNT - 1):
        response = client.post(
            "/medarbejder/log-ind/", {"username": admin_staff.username, "password": f"y{i}"}
        )
        assert response.status_code == 422  # counted afresh, not blocked


def test_the_workbench_does_not_follow_an_insecure_next_on_https(admin_staff):
    client = Client()
    response = client.post(
        "/medarbejder/log-ind/",
        {"username": admin_staff.username, "password": RIGHT, "next": "http://testserver/x"},
        secure=True,
    )
    assert response.status_code == 302
    assert response["Location"] == "/medarbejder/"
