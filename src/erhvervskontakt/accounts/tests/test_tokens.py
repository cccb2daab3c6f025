"""API tokens: shown once, stored only as a hash, refused when revoked, expired or the user is
gone; their scopes, expiry and own rate limit; the command; the migration that added those."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from erhvervskontakt.accounts.management.commands.create_api_token import (
    Command as CreateApiToken,
)
from erhvervskontakt.accounts.models import ApiToken
from erhvervskontakt.accounts.selectors import user_for_token
from erhvervskontakt.accounts.services import api_token_create, api_token_revoke
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_a_token_is_stored_only_as_its_hash(karen):
    token, raw = api_token_create(user=karen, name="Fagsystem")

    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("ek_")
    assert len(raw) > 40
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:12]
    assert raw not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.name == "Fagsystem"


def test_two_tokens_are_never_the_same(karen):
    _, first = api_token_create(user=karen)
    _, second = api_token_create(user=karen)

    assert first != second


def test_a_token_finds_its_user(karen, owner):
    karen_token, karen_raw = api_token_create(user=karen)
    _, owner_raw = api_token_create(user=owner)

    assert user_for_token(karen_raw) == (karen, karen_token)
    assert user_for_token(owner_raw)[0] == owner


@pytest.mark.parametrize(
    "raw",
    ["", "ek_", "ek_not-a-token-we-issued", "Bearer ek_x", "xx_somethingelse"],
)
def test_an_unknown_token_finds_nobody(karen, raw):
    api_token_create(user=karen)

    assert user_for_token(raw) is None


def test_a_token_that_is_only_a_prefix_of_a_real_one_finds_nobody(karen):
    _, raw = api_token_create(user=karen)

    assert user_for_token(raw[:-1]) is None
    assert user_for_token(raw[:12]) is None


def test_a_revoked_token_finds_nobody(karen):
    token, raw = api_token_create(user=karen)

    api_token_revoke(token=token)

    assert user_for_token(raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_the_token_of_an_inactive_user_finds_nobody(owner):
    _, raw = api_token_create(user=owner)

    owner.is_active = False
    owner.save()

    assert user_for_token(raw) is None


def test_the_command_prints_the_token_as_its_last_line(karen):
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "karen", "--name", "Integration", stdout=out, stderr=err)

    last_line = out.getvalue().strip().splitlines()[-1]
    found = user_for_token(last_line)
    assert found is not None
    assert found[0] == karen
    assert found[1].name == "Integration"
    assert "shown once" in err.getvalue()


@pytest.mark.parametrize("username", ["findes-ikke", "inactive"])
def test_the_command_refuses_an_unknown_or_inactive_user(karen, username):
    if username == "inactive":
        karen.is_active = False
        karen.save()
        username = "karen"

    with pytest.raises(CommandError):
        call_command("create_api_token", username, stdout=io.StringIO(), stderr=io.StringIO())

    assert not ApiToken.objects.exists()


# --- scopes, expiry, the rate limit's field (issue 18) ----------------------------------------


def test_a_new_token_may_read_bring_material_and_change_cases_but_not_manage_webhooks(karen):
    token, _ = api_token_create(user=karen)

    assert token.scopes == ["read", "intake", "write"]
    assert not token.has_scope("admin")
    assert token.rate_per_minute is None


def test_scopes_are_stored_once_each_in_their_order(karen):
    token, _ = api_token_create(user=karen, scopes=["admin", "read,write", " read "])

    assert ApiToken.objects.get(pk=token.pk).scopes == ["read", "write", "admin"]


@pytest.mark.parametrize(
    ("scopes", "message"),
    [([], "Vælg mindst én rettighed."), (["læse", "read"], "Ukendt rettighed: læse")],
)
def test_unknown_or_no_scopes_are_refused_and_nothing_is_made(karen, scopes, message):
    with pytest.raises(ValidationFailed) as refused:
        api_token_create(user=karen, scopes=scopes)

    assert message in refused.value.message
    assert "scopes" in refused.value.errors
    assert not ApiToken.objects.exists()


def test_a_new_token_expires_after_the_configured_days(settings, karen):
    settings.API_TOKEN_DAYS = 10
    with time_machine.travel(MOMENT, tick=False):
        token, _ = api_token_create(user=karen)

    assert token.expires_at == MOMENT + dt.timedelta(days=10)


def test_an_expiry_in_the_past_is_refused(karen):
    with time_machine.travel(MOMENT, tick=False), pytest.raises(ValidationFailed):
        api_token_create(user=karen, expires_at=MOMENT)

    assert not ApiToken.objects.exists()


def test_a_limit_below_one_a_minute_is_refused(karen):
    with pytest.raises(ValidationFailed):
        api_token_create(user=karen, rate_per_minute=0)


def test_an_expired_token_finds_nobody(karen):
    with time_machine.travel(MOMENT, tick=False) as traveller:
        token, raw = api_token_create(user=karen, expires_at=MOMENT + dt.timedelta(minutes=1))
        assert user_for_token(raw) == (karen, token)

        traveller.shift(dt.timedelta(minutes=1))

        assert user_for_token(raw) is None
        assert ApiToken.objects.get(pk=token.pk).status_at(clock.now()) == "expired"


def test_revoking_records_who_and_when_and_a_second_revocation_changes_nothing(
    karen, admin_user, caplog
):
    caplog.set_level(logging.WARNING, logger="erhvervskontakt.security")
    token, raw = api_token_create(user=karen)

    with time_machine.travel(MOMENT, tick=False):
        api_token_revoke(token=token, actor=admin_user)
    api_token_revoke(token=token, actor=karen)

    stored = ApiToken.objects.get(pk=token.pk)
    assert (stored.revoked_at, stored.revoked_by) == (MOMENT, admin_user)
    assert stored.status_at(clock.now()) == "revoked"
    (line,) = [r.getMessage() for r in caplog.records if "revoked" in r.getMessage()]
    assert token.prefix in line and "by=admin" in line and raw not in line


def test_the_command_takes_scopes_days_and_a_rate(karen):
    out = io.StringIO()
    with time_machine.travel(MOMENT, tick=False):
        call_command(
            "create_api_token",
            "karen",
            "--scope",
            "read",
            "--scope",
            "admin,intake",
            "--days",
            "30",
            "--rate-per-minute",
            "5000",
            stdout=out,
            stderr=io.StringIO(),
        )

    found = user_for_token(out.getvalue().strip().splitlines()[-1])
    assert found is not None
    token = found[1]
    assert token.scopes == ["read", "intake", "admin"]
    assert token.expires_at == MOMENT + dt.timedelta(days=30)
    assert token.rate_per_minute == 5000


def test_the_command_s_defaults_and_help_name_them(karen):
    err = io.StringIO()
    call_command("create_api_token", "karen", stdout=io.StringIO(), stderr=err)

    token = ApiToken.objects.get()
    assert token.scopes == ["read", "intake", "write"]
    assert "read,intake,write" in err.getvalue()
    parser = CreateApiToken().create_parser("manage.py", "create_api_token")
    assert "Default: read,intake,write" in " ".join(parser.format_help().split())


@pytest.mark.parametrize(
    "arguments", [["--scope", "alt"], ["--days", "0"], ["--rate-per-minute", "0"]]
)
def test_the_command_refuses_a_bad_scope_days_or_rate(karen, arguments):
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", "karen", *arguments, stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert not ApiToken.objects.exists()


# --- the migration ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_today_s_rights_and_a_year_from_the_migration(
    karen,
):
    # given a token as the table was before scopes and expiry, made two years ago
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_login_lockout")])
    old_apps = executor.loader.project_state([("accounts", "0003_login_lockout")]).apps
    OldToken = old_apps.get_model("accounts", "ApiToken")
    old = OldToken.objects.create(user_id=karen.pk, prefix="ek_gammel", key_hash="0" * 64)
    OldToken.objects.filter(pk=old.pk).update(created_at=MOMENT - dt.timedelta(days=730))

    # when the migration runs
    with time_machine.travel(MOMENT, tick=False):
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    # then it keeps working for a year from now, with the rights every token had
    token = ApiToken.objects.get(pk=old.pk)
    assert token.scopes == ["read", "intake", "write"]
    assert token.expires_at == MOMENT + dt.timedelta(days=365)
    assert (token.rate_per_minute, token.revoked_by) == (None, None)
