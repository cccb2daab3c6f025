"""API tokens: shown once, stored only as a hash, refused when revoked or the user is gone."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from erhvervskontakt.accounts.models import ApiToken
from erhvervskontakt.accounts.selectors import user_for_token
from erhvervskontakt.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


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
