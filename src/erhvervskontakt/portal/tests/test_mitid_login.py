"""MitID Erhverv through NemLog-in, end to end through the Django test client against the
local test IdP (pysaml2's Server): our real signed AuthnRequest, real signed and encrypted
OIOSAML 3 responses, and every refusal the profile asks for."""

from __future__ import annotations

import time
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from erhvervskontakt.businesses.models import Business
from erhvervskontakt.demo.saml_idp import LocalIdentityProvider, Tamper
from erhvervskontakt.identity.models import LoginEvent
from erhvervskontakt.testing.saml import SamlWorld, employee, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def saml_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("saml")


@pytest.fixture
def world(saml_keys: Path, settings: Any) -> SamlWorld:
    return make_world(saml_keys, settings)


def test_a_business_employee_logs_in_and_sees_the_case_list_of_that_cvr(
    world: SamlWorld, business: Business, client: Client
) -> None:
    person = employee(business.cvr, org_name=business.name)

    started = time.perf_counter()
    answer = world.login(client, person)
    seconds = time.perf_counter() - started

    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == "/sager/"
    page = client.get("/sager/")
    assert page.status_code == 200
    assert business.name in page.content.decode()
    event = LoginEvent.objects.get(kind="login")
    assert event.method == "mitid_erhverv" and event.cvr == business.cvr
    assert event.loa == "Substantial" and event.identity_key == person.uuid
    assert event.raw_response and event.session
    print(f"\none MitID Erhverv login (test client, local IdP): {seconds * 1000:.0f} ms")


def _refused(answer: Any, client: Client, reason: str) -> str:
    """The refusal: a Danish page with the request id and a way back, no session, and one
    line in the login log with ``reason``."""
    page = answer.content.decode()
    assert answer.status_code == 403, page[:3000]
    assert "Log-in blev afvist" in page and "Tilbage til log på" in page
    assert "Fejlkode" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/sager/").status_code == 302  # still sent to the login page
    event = LoginEvent.objects.get(kind="refused")
    assert event.reason == reason, (event.reason, event.detail)
    assert event.method == "mitid_erhverv" and event.user is None
    assert not LoginEvent.objects.filter(kind="login").exists()
    return page


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        pytest.param(Tamper(sign_assertion=False), "unsigned", id="unsigned assertion"),
        pytest.param(Tamper(alter_signed_value=True), "signature", id="altered signature"),
        pytest.param(
            Tamper(wrap_unsigned_assertion=True, plain=True),
            "plain_assertion",
            id="signature wrapping (a second unsigned assertion beside the signed)",
        ),
        pytest.param(Tamper(plain=True), "plain_assertion", id="plain assertion"),
        pytest.param(
            Tamper(audience="https://another-sp.example/"), "audience", id="wrong audience"
        ),
        pytest.param(
            Tamper(recipient="https://evil.example/saml2/acs/"), "recipient", id="wrong recipient"
        ),
        pytest.param(Tamper(expired=True), "expired", id="expired"),
        pytest.param(Tamper(spec_version="OIO-SAML-2.0"), "spec_version", id="OIOSAML 2"),
        pytest.param(Tamper(omit_cvr=True), "cvr", id="missing CVR"),
        pytest.param(Tamper(cvr="12345678"), "cvr", id="invalid CVR (modulus 11)"),
        pytest.param(
            Tamper(in_response_to="id-never-sent"), "unknown_request", id="unknown InResponseTo"
        ),
        pytest.param(Tamper(dtd_payload=True), "xml_dtd", id="XXE and entity expansion"),
        pytest.param(Tamper(pad_bytes=150_000), "too_large", id="oversized response"),
    ],
)
def test_a_response_that_breaks_the_profile_is_refused_without_a_session(
    world: SamlWorld, business: Business, client: Client, tamper: Tamper, reason: str
) -> None:
    answer = world.login(client, employee(business.cvr), tamper)

    _refused(answer, client, reason)


def test_the_level_of_assurance_is_checked_whatever_was_asked(
    world: SamlWorld, business: Business, client: Client
) -> None:
    request = world.start(client)
    assert world.provider.required_loa_uri in request.requested_contexts
    assert "https://data.gov.dk/eid/Professional" in request.requested_contexts
    assert request.comparison == "minimum"

    low = world.idp.login_response(request, employee(business.cvr, loa="Low"))
    page = _refused(world.post(client, request, low), client, "loa")

    assert "sikringsniveau" in page


def test_a_private_person_is_refused(world: SamlWorld, business: Business, client: Client) -> None:
    page = _refused(
        world.login(client, employee(business.cvr, professional=False)), client, "not_professional"
    )

    assert "MitID Erhverv" in page


def test_a_response_signed_by_another_key_is_refused(
    world: SamlWorld, business: Business, client: Client, saml_keys: Path, settings: Any
) -> None:
    impostor = LocalIdentityProvider(saml_keys / "impostor", world.idp.base_url, key_name="evil")
    impostor.trust_sp(Path(saml_keys / "idp" / "sp-metadata.xml").read_text())
    request = world.start(client)

    answer = world.post(client, request, impostor.login_response(request, employee(business.cvr)))

    _refused(answer, client, "signature")


def test_a_replayed_response_is_refused(
    world: SamlWorld, business: Business, client: Client
) -> None:
    request = world.start(client)
    encoded = world.idp.login_response(request, employee(business.cvr))
    assert world.post(client, request, encoded).status_code == 302
    client.post("/log-ud/")
    LoginEvent.objects.all().delete()

    # The same response again, in a browser that has started a new login meanwhile.
    world.start(client)
    _refused(world.post(client, request, encoded), client, "unknown_request")


def test_an_assertion_id_is_used_once_even_if_its_request_were_still_open(
    world: SamlWorld, business: Business, client: Client, settings: Any
) -> None:
    request = world.start(client)
    encoded = world.idp.login_response(request, employee(business.cvr))
    assert world.post(client, request, encoded).status_code == 302
    client.post("/log-ud/")
    LoginEvent.objects.all().delete()
    # Defence in depth: even with the request put back as outstanding in the browser's SAML
    # state (a bug, a copied cookie), the assertion itself is never accepted twice.
    store = import_module(settings.SESSION_ENGINE).SessionStore(
        session_key=client.cookies["saml_session"].value
    )
    store["_saml2_outstanding_queries"] = {request.id: ""}
    store.save()

    _refused(world.post(client, request, encoded), client, "replay")


def test_relay_state_only_a_local_path_of_at_most_512_characters(
    world: SamlWorld, business: Business, client: Client
) -> None:
    request = world.start(client, next_url="/sager/")
    assert request.relay_state == "/sager/"
    encoded = world.idp.login_response(request, employee(business.cvr))

    answer = world.post(client, request, encoded, RelayState="https://evil.example/")
    assert answer.status_code == 302 and answer["Location"] == "/sager/"

    client.post("/log-ud/")
    request = world.start(client)
    encoded = world.idp.login_response(request, employee(business.cvr))
    answer = world.post(client, request, encoded, RelayState="/sager/" + "x" * 600)
    assert answer["Location"] == "/sager/"  # too long: the default, not the path
