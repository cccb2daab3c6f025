"""MitID Erhverv through NemLog-in, end to end through the Django test client against the
local test IdP (pysaml2's Server): our real signed AuthnRequest, real signed and encrypted
OIOSAML 3 responses, and every refusal the profile asks for."""

from __future__ import annotations

import base64
import html
import http.server
import io
import re
import threading
import time
import uuid
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business, BusinessEvent, Membership
from erhvervskontakt.demo.saml_idp import (
    LocalIdentityProvider,
    Tamper,
    privileges_attribute,
    redirect_query,
)
from erhvervskontakt.identity import config, saml
from erhvervskontakt.identity.models import ExternalIdentity, LoginEvent
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
    client.post("/log-ud/")
    started = time.perf_counter()
    assert world.login(client, person).status_code == 302
    again = time.perf_counter() - started
    print(
        f"\none MitID Erhverv login (test client, local IdP): first {seconds * 1000:.0f} ms, "
        f"again {again * 1000:.0f} ms"
    )


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
    # (The IdP has checked the redirect's rsa-sha256 signature against our metadata.)
    assert request.name_id_format == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
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


PRIVILEGE = "urn:dk:erhvervskontakt:privilege:portal"


def _member_cvrs(user: Any) -> set[str]:
    return {
        m.business.cvr
        for m in Membership.objects.filter(user=user, active=True).select_related("business")
    }


def test_the_person_is_keyed_on_the_professional_uuid_and_updated_at_each_login(
    world: SamlWorld, business: Business, client: Client
) -> None:
    person = employee(business.cvr, name="Mette Madsen", email="mette@firma.example")
    assert world.login(client, person).status_code == 302
    client.post("/log-ud/")

    renamed = replace(person, name="Mette Munk", email="mette.munk@firma.example")
    assert world.login(client, renamed).status_code == 302

    link = ExternalIdentity.objects.get(source="mitid_erhverv")
    assert link.key == person.uuid
    assert link.user.get_full_name() == "Mette Munk"
    assert link.user.email == "mette.munk@firma.example"
    assert not link.user.has_usable_password()
    membership = Membership.objects.get(user=link.user, business=business)
    assert membership.source == "mitid_erhverv" and membership.last_confirmed_at is not None
    # The same e-mail under another UUID is another person, never the same account.
    stranger = replace(person, uuid=str(uuid.uuid4()))
    client.post("/log-ud/")
    assert world.login(client, stranger).status_code == 302
    assert ExternalIdentity.objects.count() == 2


def test_a_new_business_is_registered_from_org_name(world: SamlWorld, client: Client) -> None:
    cvr = synthetic_cvr(77_001)
    answer = world.login(client, employee(cvr, org_name="Nyt Firma ApS"))

    assert answer.status_code == 302
    business = Business.objects.get(cvr=cvr)
    assert business.name == "Nyt Firma ApS"
    assert BusinessEvent.objects.filter(business=business, kind="member_changed").exists()


def test_one_login_acts_for_the_cvr_it_was_made_for_only(
    world: SamlWorld, business: Business, other_business: Business, client: Client
) -> None:
    person = employee(business.cvr)
    world.login(client, person)
    client.post("/log-ud/")
    world.login(client, replace(person, cvr=other_business.cvr, org_name=other_business.name))

    page = client.get("/sager/").content.decode()
    assert other_business.name in page
    # The earlier CVR is not this login's: switching to it is refused.
    answer = client.post("/virksomhed/", {"cvr": business.cvr}, follow=True)
    assert "I kan ikke handle for den virksomhed." in answer.content.decode()
    # ... and the membership that the later login no longer carried was deactivated.
    user = ExternalIdentity.objects.get().user
    assert _member_cvrs(user) == {other_business.cvr}


def test_a_required_privilege_lets_in_only_those_who_hold_it_for_that_cvr(
    world: SamlWorld, business: Business, client: Client, settings: Any
) -> None:
    settings.SAML_REQUIRED_PRIVILEGE = PRIVILEGE
    world.provider = config.current().saml  # type: ignore[assignment]
    without = employee(business.cvr, privileges={business.cvr: ("urn:other:privilege",)})

    page = _refused(world.login(client, without), client, "privilege")
    assert "rettighed" in page

    LoginEvent.objects.all().delete()
    holder = employee(business.cvr, privileges={business.cvr: (PRIVILEGE,)})
    assert world.login(client, holder).status_code == 302


def test_a_privilege_scoped_to_another_cvr_gives_an_adviser_that_cvr_too(
    world: SamlWorld,
    business: Business,
    other_business: Business,
    client: Client,
    settings: Any,
) -> None:
    settings.SAML_REQUIRED_PRIVILEGE = PRIVILEGE
    adviser = employee(
        business.cvr,
        privileges={business.cvr: (PRIVILEGE,), other_business.cvr: (PRIVILEGE,)},
    )

    assert world.login(client, adviser).status_code == 302

    user = ExternalIdentity.objects.get().user
    assert _member_cvrs(user) == {business.cvr, other_business.cvr}
    assert Membership.objects.get(user=user, business=other_business).role == "adviser"
    answer = client.post("/virksomhed/", {"cvr": other_business.cvr}, follow=True)
    assert f"I handler nu for {other_business.name}" in answer.content.decode()

    # At the next login the client's privilege is gone: so is the access.
    client.post("/log-ud/")
    world.login(client, replace(adviser, privileges={business.cvr: (PRIVILEGE,)}))
    assert _member_cvrs(user) == {business.cvr}


def test_privileges_in_the_old_itst_namespace_count_too() -> None:
    document = (
        '<?xml version="1.0"?><PrivilegeList xmlns="http://itst.dk/oiosaml/basic_privilege_profile">'
        '<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:10079195">'
        f"<Privilege>{PRIVILEGE}</Privilege></PrivilegeGroup>"
        '<PrivilegeGroup Scope="urn:dk:gov:saml:productionUnitIdentifier:1234567890">'
        "<Privilege>urn:unit</Privilege></PrivilegeGroup></PrivilegeList>"
    )
    encoded = base64.b64encode(document.encode()).decode()

    assert saml.parse_privileges(encoded) == {"10079195": frozenset({PRIVILEGE})}
    assert (
        saml.parse_privileges(base64.b64encode(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").decode())
        == {}
    )
    assert saml.parse_privileges("not base64 at all !!") == {}
    assert privileges_attribute({"10079195": (PRIVILEGE,)}) and saml.parse_privileges(
        privileges_attribute({"10079195": (PRIVILEGE,)})
    ) == {"10079195": frozenset({PRIVILEGE})}


def test_a_staff_member_cannot_come_in_as_a_business(
    world: SamlWorld, business: Business, client: Client, karen: Any
) -> None:
    person = employee(business.cvr)
    world.login(client, person)
    client.post("/log-ud/")
    link = ExternalIdentity.objects.get()
    link.user.is_staff = True
    link.user.save()
    LoginEvent.objects.all().delete()

    _refused(world.login(client, person), client, "user_inactive")


def test_logout_ends_the_local_session_and_sends_a_signed_logout_request(
    world: SamlWorld, business: Business, client: Client
) -> None:
    person = employee(business.cvr)
    world.login(client, person)

    answer = client.post("/log-ud/")

    assert "_auth_user_id" not in client.session  # ended before NemLog-in is asked
    page = answer.content.decode()
    assert answer.status_code == 200 and "Fortsæt til NemLog-in" in page
    location = re.search(r'<a href="([^"]+)"[^>]*id="fortsaet-nemlogin"', page)
    assert location is not None
    url = html.unescape(location.group(1))
    assert url.startswith(world.idp.base_url + "/slo?") and "Signature=" in url
    assert "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256" in url
    back = world.idp.answer_logout_request(redirect_query(url))  # verifies our signature
    assert world.idp.logouts == [saml.PROFESSIONAL_NAME_ID_PREFIX + person.uuid]
    done = client.get(back[back.index("/saml2/ls/") :], follow=True)
    assert "I er logget af, også hos NemLog-in." in done.content.decode()
    assert LoginEvent.objects.filter(kind="logout", method="mitid_erhverv").count() == 1


def test_a_logout_started_at_nemlogin_ends_the_local_session(
    world: SamlWorld, business: Business, client: Client
) -> None:
    person = employee(business.cvr)
    world.login(client, person)
    url = world.idp.logout_request_url(person)

    answer = client.get(url[url.index("/saml2/ls/") :])

    assert answer.status_code == 302
    assert answer["Location"].startswith(world.idp.base_url + "/slo?")
    assert "SAMLResponse=" in answer["Location"] and "Signature=" in answer["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/sager/").status_code == 302


def test_an_unsigned_logout_request_is_refused_and_changes_nothing(
    world: SamlWorld, business: Business, client: Client
) -> None:
    person = employee(business.cvr)
    world.login(client, person)
    url = world.idp.logout_request_url(person, sign=False)

    answer = client.get(url[url.index("/saml2/ls/") :])

    assert answer.status_code == 400
    assert "_auth_user_id" in client.session


def test_the_sp_metadata_has_what_nemlogin_administration_asks_for(
    world: SamlWorld, client: Client
) -> None:
    answer = client.get("/saml2/metadata/")

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/samlmetadata+xml")
    root = ET.fromstring(answer.content)
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    assert root.get("entityID") == world.provider.entity_id
    sp = root.find(f"{md}SPSSODescriptor")
    assert sp is not None and sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    uses = sorted(k.get("use") or "" for k in sp.findall(f"{md}KeyDescriptor"))
    assert uses == ["encryption", "signing"]
    encryption = next(k for k in sp.findall(f"{md}KeyDescriptor") if k.get("use") == "encryption")
    algorithms = {m.get("Algorithm") for m in encryption.findall(f"{md}EncryptionMethod")}
    assert algorithms == {saml.KEY_TRANSPORT, saml.BLOCK_ENCRYPTION}
    assert len(sp.findall(f"{md}SingleLogoutService")) == 1
    acs = sp.findall(f"{md}AssertionConsumerService")
    assert [a.get("Location") for a in acs] == [saml.acs_url()]
    requested = {
        a.get("Name") for a in sp.iterfind(f"{md}AttributeConsumingService/{md}RequestedAttribute")
    }
    assert {saml.CVR, saml.LOA, saml.SPEC_VERSION, saml.PROFESSIONAL_UUID} <= requested


def test_without_configuration_outside_the_demo_there_is_no_mitid_login(
    client: Client, settings: Any
) -> None:
    settings.SAML_IDP_METADATA = ""
    settings.DEBUG = False

    assert client.get("/saml2/login/").status_code == 404
    assert client.get("/saml2/metadata/").status_code == 404
    assert "Log på med MitID Erhverv" not in client.get("/log-ind/").content.decode()


def test_local_passwords_for_businesses_only_where_enabled(
    world: SamlWorld, owner: Any, client: Client, settings: Any
) -> None:
    settings.PORTAL_PASSWORD_LOGIN = False
    page = client.get("/log-ind/").content.decode()
    assert "Log på med MitID Erhverv" in page and 'name="password"' not in page

    answer = client.post("/log-ind/", {"username": owner.username, "password": "hemmelig-42"})

    assert answer.status_code == 403
    assert "Log-in med adgangskode er slået fra" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_idp_metadata_from_a_url_is_fetched_checked_and_refreshed(
    world: SamlWorld, saml_keys: Path, settings: Any, tmp_path: Path
) -> None:
    metadata = Path(settings.SAML_IDP_METADATA).read_bytes()
    served = {"body": metadata}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(served["body"])

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.BASE_DIR = tmp_path
    settings.SAML_IDP_METADATA = f"http://127.0.0.1:{server.server_address[1]}/idp.xml"
    try:
        out = io.StringIO()
        call_command("saml_refresh_idp_metadata", stdout=out)
        assert world.idp.entity_id in out.getvalue()
        provider = config.current().saml
        assert provider is not None and saml.idp_entity_id(provider) == world.idp.entity_id

        served["body"] = b"<html>not metadata</html>"
        with pytest.raises(CommandError, match="describes no identity provider"):
            call_command("saml_refresh_idp_metadata", stdout=io.StringIO())
        # The checked copy from before is still the one in use.
        assert saml.idp_entity_id(provider) == world.idp.entity_id
    finally:
        server.shutdown()
