"""A verified Entra ID login becomes our member of staff (issue 16): keyed on tenant and
object id, rights from the app roles set and cleared at every login, refusals that write
nothing but their line in the login log — and the ID token's verification itself, against a
real provider's JWKS."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.identity import config, oidc
from erhvervskontakt.identity.config import OidcProvider
from erhvervskontakt.identity.models import ExternalIdentity, LoginEvent, StaffRoleMapping
from erhvervskontakt.identity.oidc import OidcRefused, StaffClaims
from erhvervskontakt.identity.services.staff_login import (
    StaffLoginRefused,
    Where,
    staff_login,
    staff_login_refuse,
    staff_roles_for,
)
from erhvervskontakt.testing.oidc_provider import (  # noqa: F401  (fixtures)
    OidcTestProvider,
    oidc_provider_fixture,
    oidc_provider_server_fixture,
)

pytestmark = pytest.mark.django_db

TENANT = "4f1c2a9e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
WHERE = Where(ip="192.0.2.7", request_id="req-1")


@pytest.fixture
def provider(catalogue: Any) -> OidcProvider:
    return OidcProvider(
        issuer=f"https://login.microsoftonline.com/{TENANT}/v2.0",
        client_id="client",
        client_secret="secret",
        tenant_id=TENANT,
        role_map={
            "EK.Tovholder": "coordinator",
            "EK.Leder": "head_of_unit",
            "EK.Byggeri": "caseworker:byggeri",
            "EK.Miljoe": "caseworker:miljoe",
            "EK.Admin": "administrator",
            "EK.Forkert": "superhelt",
            "EK.Ukendt": "caseworker:findes-ikke",
        },
    )


def claims(**overrides: Any) -> StaffClaims:
    fields: dict[str, Any] = {
        "tenant_id": TENANT,
        "object_id": "0a1b2c3d-0000-4000-8000-000000000001",
        "name": "Karen Kofoed",
        "email": "kako@odense.dk",
        "username": "kako@odense.dk",
        "roles": ("EK.Tovholder",),
    }
    fields.update(overrides)
    return StaffClaims(**fields)


def test_a_new_person_becomes_a_staff_user_keyed_on_tenant_and_object_id(provider):
    user = staff_login(provider=provider, claims=claims(), where=WHERE)
    assert user.username == "entra-id:0a1b2c3d-0000-4000-8000-000000000001"
    assert (user.is_staff, user.is_coordinator, user.is_superuser) == (True, True, False)
    assert (user.first_name, user.last_name, user.email) == ("Karen", "Kofoed", "kako@odense.dk")
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get()
    assert (link.source, link.key, link.user) == (
        "entra_id",
        f"{TENANT}:0a1b2c3d-0000-4000-8000-000000000001",
        user,
    )
    event = LoginEvent.objects.get()
    assert (event.kind, event.method, event.user, event.ip, event.request_id) == (
        "login",
        "entra_id",
        user,
        "192.0.2.7",
        "req-1",
    )
    assert "coordinator" in event.detail


def test_a_person_is_never_found_by_their_e_mail_address(provider):
    existing = StaffFactory(username="karen", email="kako@odense.dk", is_coordinator=True)
    user = staff_login(provider=provider, claims=claims(roles=("EK.Leder",)), where=WHERE)
    assert user.pk != existing.pk
    existing.refresh_from_db()
    assert (existing.is_coordinator, existing.is_head_of_unit) == (True, False)


def test_the_next_login_updates_name_e_mail_and_sets_and_clears_rights(provider):
    first = staff_login(
        provider=provider, claims=claims(roles=("EK.Admin", "EK.Byggeri")), where=WHERE
    )
    assert first.is_superuser and first.department.code == "byggeri"
    again = staff_login(
        provider=provider,
        claims=claims(roles=("EK.Leder",), name="Karen Hansen", email="kh@odense.dk"),
        where=WHERE,
    )
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.is_superuser, again.is_head_of_unit, again.department) == (False, True, None)
    assert (again.last_name, again.email) == ("Hansen", "kh@odense.dk")
    assert LoginEvent.objects.filter(kind="login").count() == 2


def test_roles_map_through_the_environment_and_the_administrators_rows(provider):
    roles = staff_roles_for(provider, ["EK.Miljoe", "EK.Byggeri", "EK.Forkert", "EK.Ukendt"])
    assert roles.department.code == "byggeri"  # several departments: the first by code
    assert not (roles.coordinator or roles.head_of_unit or roles.administrator)
    assert not staff_roles_for(provider, ["EK.Forkert", "EK.Ukendt", "Andet"]).gives_access
    StaffRoleMapping.objects.create(app_role="EK.Tovholder", role="administrator")
    StaffRoleMapping.objects.create(app_role="EK.Leder", role="coordinator", active=False)
    StaffRoleMapping.objects.create(app_role="Kun.I.Databasen", role="coordinator")
    roles = staff_roles_for(provider, ["EK.Tovholder", "EK.Leder", "Kun.I.Databasen"])
    assert (roles.administrator, roles.head_of_unit, roles.coordinator) == (True, True, True)


def test_another_tenant_is_refused_and_nothing_is_written(provider):
    with pytest.raises(StaffLoginRefused) as refused:
        staff_login(
            provider=provider,
            claims=claims(tenant_id="00000000-0000-0000-0000-000000000000"),
            where=WHERE,
        )
    assert refused.value.reason == "tenant"
    assert not User.objects.filter(username__startswith="entra-id:").exists()
    assert not ExternalIdentity.objects.exists() and not LoginEvent.objects.exists()


def test_no_role_refuses_a_new_person_and_the_refusal_is_logged(provider):
    with pytest.raises(StaffLoginRefused) as refused:
        staff_login(provider=provider, claims=claims(roles=("Andet",)), where=WHERE)
    assert refused.value.reason == "no_role"
    assert "Du har ikke adgang" in refused.value.message
    staff_login_refuse(refusal=refused.value, where=WHERE)
    event = LoginEvent.objects.get()
    assert (event.kind, event.reason, event.user) == ("refused", "no_role", None)
    assert event.identity_key.startswith(TENANT)
    assert not User.objects.filter(username__startswith="entra-id:").exists()


def test_a_known_person_without_a_role_any_more_loses_every_right(provider):
    user = staff_login(
        provider=provider, claims=claims(roles=("EK.Tovholder", "EK.Miljoe")), where=WHERE
    )
    with pytest.raises(StaffLoginRefused) as refused:
        staff_login(provider=provider, claims=claims(roles=()), where=WHERE)
    staff_login_refuse(refusal=refused.value, where=WHERE)
    user.refresh_from_db()
    assert (user.is_staff, user.is_coordinator, user.department, user.is_active) == (
        False,
        False,
        None,
        True,
    )
    assert LoginEvent.objects.get(kind="refused").user == user


def test_a_refusal_before_the_token_names_no_user_and_changes_nobody(provider, karen):
    staff_login_refuse(refusal=OidcRefused("signature", detail="x"), where=WHERE)
    karen.refresh_from_db()
    assert karen.is_staff and karen.is_coordinator
    assert LoginEvent.objects.get().reason == "signature"


def test_a_person_we_have_blocked_stays_blocked(provider):
    user = staff_login(provider=provider, claims=claims(), where=WHERE)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(StaffLoginRefused) as refused:
        staff_login(provider=provider, claims=claims(), where=WHERE)
    assert refused.value.reason == "user_inactive"
    user.refresh_from_db()
    assert not user.is_active


def test_the_login_is_all_or_nothing(provider):
    def broken_session(user: User) -> str:
        raise RuntimeError("the session store is gone")

    with pytest.raises(RuntimeError):
        staff_login(provider=provider, claims=claims(), where=Where(start_session=broken_session))
    assert not User.objects.filter(username__startswith="entra-id:").exists()
    assert not ExternalIdentity.objects.exists() and not LoginEvent.objects.exists()


# --- the ID token's verification, against the test provider's JWKS ----------------------------


@pytest.fixture
def entra(oidc_provider: OidcTestProvider) -> OidcProvider:
    found = config.current().oidc
    assert found is not None and found.tenant_id == oidc_provider.tenant_id
    return found


def _token(provider: OidcTestProvider, key: Any, alg: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": provider.issuer,
        "aud": provider.client_id,
        "iat": now,
        "exp": now + 600,
        "nonce": "n",
        "tid": provider.tenant_id,
        "oid": str(uuid.uuid4()),
        "roles": ["EK.Tovholder"],
        "preferred_username": "kako@odense.dk",
    }
    body.update(claims)
    header = {"alg": alg, "kid": getattr(key, "kid", None) or provider.kid}
    return jwt.encode(header, body, key, algorithms=[alg])


def test_a_token_of_the_provider_verifies_and_gives_the_claims(entra, oidc_provider):
    verified = oidc.id_token_verify(entra, _token(oidc_provider, oidc_provider.key), nonce="n")
    assert verified.tenant_id == oidc_provider.tenant_id
    assert verified.roles == ("EK.Tovholder",)
    assert verified.email == "kako@odense.dk"  # from preferred_username when no email claim


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: _token(p, OctKey.import_key("k" * 32), alg="HS256"), "signature"),
        (lambda p: _token(p, p.other_key), "signature"),
        (
            lambda p: _token(p, RSAKey.generate_key(2048, {"kid": "ukendt"}, private=True)),
            "signature",
        ),
        (lambda p: "ikke.et.token", "malformed"),
        (lambda p: _token(p, p.key, nonce="andet"), "nonce"),
        (lambda p: _token(p, p.key, iss="https://andet/v2.0"), "issuer"),
        (lambda p: _token(p, p.key, aud=["client", "andet"]), "audience"),
        (lambda p: _token(p, p.key, exp=int(time.time()) - 600), "expired"),
        (lambda p: _token(p, p.key, iat=int(time.time()) + 3600), "expired"),
    ],
)
def test_a_token_that_is_not_right_is_refused_with_its_reason(entra, oidc_provider, make, reason):
    with pytest.raises(OidcRefused) as refused:
        oidc.id_token_verify(entra, make(oidc_provider), nonce="n")
    assert refused.value.reason == reason


def test_a_rolled_key_is_fetched_again_once(entra, oidc_provider):
    oidc.id_token_verify(entra, _token(oidc_provider, oidc_provider.key), nonce="n")  # cached
    old = oidc_provider.key
    oidc_provider.key = RSAKey.generate_key(
        2048, {"kid": "ny-noegle", "use": "sig", "alg": "RS256"}, private=True
    )
    try:
        verified = oidc.id_token_verify(entra, _token(oidc_provider, oidc_provider.key), nonce="n")
        assert verified.roles == ("EK.Tovholder",)
    finally:
        oidc_provider.key = old
