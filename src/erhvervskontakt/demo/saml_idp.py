"""A local test identity provider that speaks OIOSAML 3 like NemLog-in (demo and tests only).

Longer than our usual modules: the IdP, its page and every way the tests spoil a response
belong together (a spoiled response is made by the same code as a good one).

Built on pysaml2's ``Server``: it reads our real, signed AuthnRequest (HTTP-Redirect), and
answers with a real response whose assertion is signed by the IdP's key and encrypted to our
SP's certificate (aes256-cbc, rsa-oaep-mgf1p), with the OIOSAML 3 attribute statement. A page
like the MitID simulator lists the people one may log in as. It also answers our signed
LogoutRequest and can start a logout itself.

``Tamper`` makes the faulty responses the tests need (unsigned, altered, wrapped, plain,
wrong audience or recipient, expired, LoA Low, a private person, no CVR, …): each is made by
pysaml2 and then changed the way an attacker or a broken IdP would.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree
from saml2 import BINDING_HTTP_REDIRECT, saml, xmldsig
from saml2.attribute_converter import AttributeConverter
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import ASSERT_XPATH, pre_encryption_part

from erhvervskontakt.identity import saml as oiosaml

from .saml_keys import ensure_keypair

SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"saml": SAML_NS, "samlp": SAMLP_NS, "ds": DS_NS}
PERSON_NAME_ID_PREFIX = "https://data.gov.dk/model/core/eid/person/uuid/"


@dataclass(frozen=True)
class Person:
    """Someone one may log in as at the test IdP: an employee of a business (or not)."""

    name: str
    email: str
    cvr: str
    org_name: str
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    loa: str = "Substantial"
    # CVR → privilege URIs (the OIO basic privilege profile); None sends no privileges.
    privileges: dict[str, tuple[str, ...]] | None = None
    professional: bool = True


@dataclass(frozen=True)
class Tamper:
    """How to spoil a response (each field off by default: a correct response)."""

    sign_assertion: bool = True
    alter_signed_value: bool = False
    wrap_unsigned_assertion: bool = False
    plain: bool = False
    audience: str | None = None
    recipient: str | None = None
    expired: bool = False
    spec_version: str | None = None
    omit_cvr: bool = False
    cvr: str | None = None
    in_response_to: str | None = None
    dtd_payload: bool = False
    pad_bytes: int = 0


class _UriNames(AttributeConverter):
    """Attribute names sent as given (pysaml2's NOOP converter lower-cases them)."""

    def __init__(self) -> None:
        super().__init__(NAME_FORMAT_URI)

    def to_(self, attrvals: dict[str, Any]) -> list[saml.Attribute]:
        return [
            saml.Attribute(
                name=name,
                name_format=NAME_FORMAT_URI,
                attribute_value=[
                    saml.AttributeValue(text=str(value)) for value in _as_list(values)
                ],
            )
            for name, values in attrvals.items()
        ]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


@dataclass
class AuthnRequestSeen:
    id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str
    requested_contexts: list[str]
    comparison: str
    name_id_format: str


class LocalIdentityProvider:
    """pysaml2's IdP with our SP's metadata; ``base_url`` is where it is served."""

    def __init__(self, directory: Path, base_url: str, *, key_name: str = "idp") -> None:
        self.directory = directory
        self.base_url = base_url.rstrip("/")
        self.key_file, self.cert_file = ensure_keypair(directory, key_name, "Lokal test-IdP")
        self.people: list[Person] = []
        self.logouts: list[str] = []
        self.pending: dict[str, AuthnRequestSeen] = {}
        self._load(sp_metadata=None)

    def trust_sp(self, sp_metadata: str) -> None:
        """Take our SP's metadata (its certificates and endpoints), as NemLog-in does when the
        municipality uploads it."""
        self._load(sp_metadata=sp_metadata)

    def _load(self, *, sp_metadata: str | None) -> None:
        directory = self.directory
        metadata: dict[str, Any] = {}
        if sp_metadata is not None:
            (directory / "sp-metadata.xml").write_text(sp_metadata, encoding="utf-8")
            metadata = {"local": [str(directory / "sp-metadata.xml")]}
        xmlsec = shutil.which("xmlsec1")
        if xmlsec is None:
            raise RuntimeError("The local test IdP needs Debian's xmlsec1.")
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{self.base_url}/metadata",
                "xmlsec_binary": xmlsec,
                "service": {
                    "idp": {
                        "name": "Lokal test-IdP (som NemLog-in)",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base_url}/sso", BINDING_HTTP_REDIRECT)
                            ],
                            "single_logout_service": [
                                (f"{self.base_url}/slo", BINDING_HTTP_REDIRECT)
                            ],
                        },
                        "want_authn_requests_signed": True,
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "metadata": metadata,
            }
        )
        self.server = Server(config=config)
        self.server.config.attribute_converters = [_UriNames()]
        self.entity_id = config.entityid

    # -- metadata ---------------------------------------------------------------------------

    def metadata_xml(self) -> str:
        from saml2.metadata import entity_descriptor

        return str(entity_descriptor(self.server.config))

    def write_metadata(self, path: Path) -> Path:
        partial = path.with_suffix(".tmp")
        partial.write_text(self.metadata_xml(), encoding="utf-8")
        partial.replace(path)
        return path

    # -- login ------------------------------------------------------------------------------

    def read_authn_request(self, query: str) -> AuthnRequestSeen:
        """Our SP's AuthnRequest from the redirect's query string; its signature checked."""
        params, parsed = _signed_redirect(query, self.server.parse_authn_request, "AuthnRequest")
        message = parsed.message
        context = message.requested_authn_context
        seen = AuthnRequestSeen(
            id=message.id,
            sp_entity_id=message.issuer.text.strip(),
            acs_url=message.assertion_consumer_service_url,
            relay_state=params.get("RelayState", ""),
            requested_contexts=[ref.text for ref in context.authn_context_class_ref]
            if context is not None
            else [],
            comparison=(context.comparison if context is not None else "") or "",
            name_id_format=(message.name_id_policy.format if message.name_id_policy else "") or "",
        )
        self.pending[seen.id] = seen
        return seen

    def attributes(self, person: Person, tamper: Tamper) -> dict[str, Any]:
        attrs: dict[str, Any] = {
            oiosaml.SPEC_VERSION: tamper.spec_version or oiosaml.SPEC_VERSION_VALUE,
            oiosaml.LOA: person.loa,
            oiosaml.FULL_NAME: person.name,
            oiosaml.EMAIL: person.email,
        }
        first, _, last = person.name.partition(" ")
        attrs[oiosaml.FIRST_NAME] = first
        if last:
            attrs[oiosaml.LAST_NAME] = last
        if person.professional:
            attrs[oiosaml.PROFESSIONAL_UUID] = f"urn:uuid:{person.uuid}"
            attrs[oiosaml.ORG_NAME] = person.org_name
            if not tamper.omit_cvr:
                attrs[oiosaml.CVR] = tamper.cvr if tamper.cvr is not None else person.cvr
            if person.privileges is not None:
                attrs[oiosaml.PRIVILEGES] = privileges_attribute(person.privileges)
        return attrs

    def login_response(
        self, request: AuthnRequestSeen, person: Person, tamper: Tamper | None = None
    ) -> str:
        """The base64 SAMLResponse for ``person``, answering ``request`` (spoiled by
        ``tamper`` if given)."""
        tamper = tamper or Tamper()
        prefix = (
            oiosaml.PROFESSIONAL_NAME_ID_PREFIX if person.professional else (PERSON_NAME_ID_PREFIX)
        )
        name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=prefix + person.uuid)
        server = self.server
        session_index = f"_{uuid.uuid4().hex}"
        xml = server.create_authn_response(
            identity=self.attributes(person, tamper),
            in_response_to=tamper.in_response_to
            if tamper.in_response_to is not None
            else request.id,
            destination=request.acs_url,
            sp_entity_id=request.sp_entity_id,
            name_id=name_id,
            authn={
                "class_ref": oiosaml.LOA_URI_PREFIX + person.loa,
                "authn_auth": self.entity_id,
            },
            sign_response=False,
            sign_assertion=tamper.sign_assertion,
            encrypt_assertion=False,
            sign_alg=xmldsig.SIG_RSA_SHA256,
            digest_alg=xmldsig.DIGEST_SHA256,
            session_index=session_index,
        )
        document = str(xml)
        if tamper.sign_assertion and _edit_before_signing(tamper):
            # What the IdP itself got wrong: changed, then signed again (a valid signature
            # over a wrong audience, recipient or lifetime).
            document = self._resign(_edit(document, tamper, before_signing=True))
        document = _edit(document, tamper, before_signing=False)
        if not tamper.plain:
            document = self._encrypt(document)
        if tamper.dtd_payload:
            document = (
                '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">'
                '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaa">]>\n' + _without_declaration(document)
            )
        if tamper.pad_bytes:
            closing = document.rstrip().rindex("</")
            document = (
                document[:closing] + f"<!-- {'x' * tamper.pad_bytes} -->" + document[closing:]
            )
        return base64.b64encode(document.encode("utf-8")).decode("ascii")

    def _resign(self, document: str) -> str:
        root = etree.fromstring(document.encode("utf-8"))
        assertion = root.find("saml:Assertion", NS)
        assert assertion is not None
        return str(
            self.server.sec.sign_statement(
                document,
                node_name=f"{SAML_NS}:Assertion",
                key_file=str(self.key_file),
                node_id=assertion.get("ID"),
            )
        )

    def _encrypt(self, document: str) -> str:
        """Move the (signed) assertion into an EncryptedAssertion and encrypt it to the SP's
        encryption certificate from its metadata (xmlsec1 through pysaml2)."""
        root = etree.fromstring(document.encode("utf-8"))
        assertions = root.findall(f"{{{SAML_NS}}}Assertion")
        texts = []
        for number, assertion in enumerate(assertions):
            # Serialised on its own, the assertion declares every namespace it uses (those
            # it inherited from the Response too), so it parses alone once decrypted.
            texts.append(etree.tostring(assertion, encoding="unicode"))
            wrapper = etree.Element(f"{{{SAML_NS}}}EncryptedAssertion")
            wrapper.text = f"@@assertion-{number}@@"
            root.replace(assertion, wrapper)
        text = etree.tostring(root, encoding="unicode")
        for number, assertion_text in enumerate(texts):
            text = text.replace(f"@@assertion-{number}@@", assertion_text)
        certs = self.server.metadata.certs(self._sp_entity_id(), "spsso", "encryption")
        cert_text = "".join(certs[0][1].split())
        cert_file = self.directory / "sp-encryption.crt"
        body = "\n".join(cert_text[i : i + 64] for i in range(0, len(cert_text), 64))
        cert_file.write_text(f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
        template = pre_encryption_part(
            msg_enc=oiosaml.BLOCK_ENCRYPTION, key_enc=oiosaml.KEY_TRANSPORT
        )
        return str(
            self.server.sec.encrypt_assertion(
                text, str(cert_file), template, key_type="aes-256", node_xpath=ASSERT_XPATH
            )
        )

    # -- logout -----------------------------------------------------------------------------

    def answer_logout_request(self, query: str) -> str:
        """Our SP's signed LogoutRequest (redirect): verify it, end the IdP session, and
        return the URL of the signed LogoutResponse back to the SP."""
        params, parsed = _signed_redirect(query, self.server.parse_logout_request, "LogoutRequest")
        message = parsed.message
        self.logouts.append(message.name_id.text)
        response = self.server.create_logout_response(message, [BINDING_HTTP_REDIRECT])
        destination = self._sp_slo()
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            relay_state=params.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=xmldsig.SIG_RSA_SHA256,
        )
        return oiosaml.redirect_location(info)

    def logout_request_url(self, person: Person, *, sign: bool = True) -> str:
        """An IdP-initiated LogoutRequest for ``person`` (as NemLog-in sends when the person
        logs out at another service)."""
        destination = self._sp_slo()
        sp = self._sp_entity_id()
        _id, request = self.server.create_logout_request(
            destination,
            sp,
            name_id=NameID(
                format=NAMEID_FORMAT_PERSISTENT,
                text=oiosaml.PROFESSIONAL_NAME_ID_PREFIX + person.uuid,
            ),
            sign=False,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(request),
            destination,
            relay_state="",
            sign=sign,
            sigalg=xmldsig.SIG_RSA_SHA256 if sign else None,
        )
        return oiosaml.redirect_location(info)

    def _sp_entity_id(self) -> str:
        return str(next(iter(self.server.metadata.service_providers())))

    def _sp_slo(self) -> str:
        services = self.server.metadata.single_logout_service(
            self._sp_entity_id(), BINDING_HTTP_REDIRECT, "spsso"
        )
        return str(services[0]["location"])

    # -- the page ---------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        """The IdP's pages: /metadata, /sso (choose a person), /sso/svar (the auto-posting
        form back to the SP), /slo."""
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        try:
            if path == "/metadata":
                return _answer(start, "200 OK", self.metadata_xml(), "application/samlmetadata+xml")
            if path == "/sso":
                request = self.read_authn_request(query)
                return _answer(start, "200 OK", self._choose_page(request))
            if path == "/sso/svar" and environ.get("REQUEST_METHOD") == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = parse_qs(environ["wsgi.input"].read(size).decode())
                request = self.pending.pop(form["request"][0])
                person = self.people[int(form["person"][0])]
                encoded = self.login_response(request, person)
                return _answer(start, "200 OK", _post_page(request, encoded))
            if path == "/slo":
                location = self.answer_logout_request(query)
                start("302 Found", [("Location", location)])
                return [b""]
        except (KeyError, ValueError, IndexError) as error:
            return _answer(
                start, "400 Bad Request", _page("Fejl", f"<p>{html.escape(str(error))}</p>")
            )
        return _answer(start, "404 Not Found", _page("Ikke fundet", "<p>Ukendt adresse.</p>"))

    def _choose_page(self, request: AuthnRequestSeen) -> str:
        rows = []
        for index, person in enumerate(self.people):
            cvrs = ", ".join(sorted((person.privileges or {}).keys() - {person.cvr}))
            extra = f" — også rådgiver for CVR {html.escape(cvrs)}" if cvrs else ""
            rows.append(
                "<li><form method='post' action='/sso/svar'>"
                f"<input type='hidden' name='request' value='{html.escape(request.id)}'>"
                f"<input type='hidden' name='person' value='{index}'>"
                f"<button type='submit'>{html.escape(person.name)}</button> "
                f"{html.escape(person.org_name)} (CVR {html.escape(person.cvr)}), "
                f"sikringsniveau {html.escape(person.loa)}{extra}</form></li>"
            )
        body = (
            "<p>Dette er en lokal test-IdP til demoen. Den svarer som NemLog-in med "
            "signerede og krypterede OIOSAML 3-assertions. Vælg, hvem du logger på som:</p>"
            f"<ul>{''.join(rows)}</ul>"
        )
        return _page("Log på med MitID Erhverv (test)", body)


def _signed_redirect(
    query: str, parse: Callable[..., Any], what: str
) -> tuple[dict[str, str], Any]:
    """A message of our SP's from a redirect's query string, its signature checked by
    pysaml2 (``parse`` is the server's parser for that kind of message)."""
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if not params.get("Signature"):
        raise ValueError(f"unsigned {what}")
    parsed = parse(
        params["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        relay_state=params.get("RelayState"),
        sigalg=params.get("SigAlg"),
        signature=params.get("Signature"),
    )
    if parsed is None:
        raise ValueError(f"the {what} could not be read or its signature is wrong")
    return params, parsed


def privileges_attribute(privileges: dict[str, tuple[str, ...]]) -> str:
    """The privilegesIntermediate value: base64 of the OIO basic privilege profile."""
    groups = "".join(
        f'<PrivilegeGroup Scope="{oiosaml.CVR_SCOPE_PREFIX}{cvr}">'
        + "".join(f"<Privilege>{html.escape(p)}</Privilege>" for p in values)
        + "</PrivilegeGroup>"
        for cvr, values in privileges.items()
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<bpp:PrivilegeList xmlns:bpp="{oiosaml.PRIVILEGE_NAMESPACES[0]}">{groups}'
        "</bpp:PrivilegeList>"
    )
    return base64.b64encode(document.encode("utf-8")).decode("ascii")


def _edit_before_signing(tamper: Tamper) -> bool:
    return tamper.audience is not None or tamper.recipient is not None or tamper.expired


def _edit(document: str, tamper: Tamper, *, before_signing: bool) -> str:
    """Spoil a response the way ``tamper`` says: before signing what the IdP would sign
    wrongly; after signing what an attacker changes (the signature no longer covers it)."""
    if before_signing and not _edit_before_signing(tamper):
        return document
    if not before_signing and not (tamper.alter_signed_value or tamper.wrap_unsigned_assertion):
        return document
    root = etree.fromstring(document.encode("utf-8"))
    assertion = root.find("saml:Assertion", NS)
    assert assertion is not None
    if before_signing:
        _edit_signed_fields(assertion, tamper)
    else:
        _edit_after_signing(root, assertion, tamper)
    return etree.tostring(root, encoding="unicode")


def _edit_signed_fields(assertion: Any, tamper: Tamper) -> None:
    if tamper.audience is not None:
        for audience in assertion.iterfind(".//saml:Audience", NS):
            audience.text = tamper.audience
    if tamper.recipient is not None:
        for data in assertion.iterfind(".//saml:SubjectConfirmationData", NS):
            data.set("Recipient", tamper.recipient)
    if tamper.expired:
        past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for data in assertion.iterfind(".//saml:SubjectConfirmationData", NS):
            data.set("NotOnOrAfter", past)
        for conditions in assertion.iterfind("saml:Conditions", NS):
            conditions.set("NotOnOrAfter", past)


def _edit_after_signing(root: Any, assertion: Any, tamper: Tamper) -> None:
    if tamper.alter_signed_value:
        for value in assertion.iterfind(".//saml:AttributeValue", NS):
            if value.text and value.text.isdigit() and len(value.text) == 8:
                value.text = "10000009" if value.text != "10000009" else "10000017"
    if tamper.wrap_unsigned_assertion:
        evil = etree.fromstring(etree.tostring(assertion))
        signature = evil.find("ds:Signature", NS)
        if signature is not None:
            evil.remove(signature)
        evil.set("ID", f"_evil{uuid.uuid4().hex}")
        for value in evil.iterfind(".//saml:AttributeValue", NS):
            if value.text and value.text.isdigit() and len(value.text) == 8:
                value.text = "10000009"
        root.insert(root.index(assertion), evil)


def _without_declaration(document: str) -> str:
    return document.split("?>", 1)[1] if document.startswith("<?xml") else document


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


def _post_page(request: AuthnRequestSeen, encoded: str) -> str:
    """The form that carries the response back to the SP (HTTP-POST binding). The button is
    pressed by a person (or the browser test); no script is needed."""
    return _page(
        "Log-in gennemført",
        f"<form method='post' action='{html.escape(request.acs_url)}'>"
        f"<input type='hidden' name='SAMLResponse' value='{html.escape(encoded)}'>"
        f"<input type='hidden' name='RelayState' value='{html.escape(request.relay_state)}'>"
        "<p>NemLog-in sender jer tilbage til Erhvervskontakt.</p>"
        "<button type='submit'>Fortsæt til Erhvervskontakt</button></form>",
    )


def _answer(
    start: Callable[..., Any], status: str, body: str, content_type: str = "text/html"
) -> list[bytes]:
    data = body.encode("utf-8")
    start(
        status,
        [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_in_thread(idp: LocalIdentityProvider, host: str, port: int) -> WSGIServer:
    """Serve the IdP's pages on ``host:port`` in a daemon thread (tests and the demo)."""
    server = make_server(host, port, idp.wsgi, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="local-test-idp", daemon=True)
    thread.start()
    return server


def redirect_query(url: str) -> str:
    return url.split("?", 1)[1] if "?" in url else ""


# --- the demo's IdP ----------------------------------------------------------------------


def local_base_url() -> str:
    from django.conf import settings

    return f"http://127.0.0.1:{settings.SAML_LOCAL_TEST_IDP_PORT}"


def prepare_local() -> LocalIdentityProvider:
    """The demo's keys and both metadata files, made before anything is served: our SP's
    keys, the IdP's keys and metadata (which our SP reads), then our SP's metadata (which
    the IdP reads). Nothing here runs where SAML_IDP_METADATA is configured."""
    from erhvervskontakt.identity import config

    ensure_keypair(config.local_sp_dir(), "sp", "Erhvervskontakt demo-SP")
    directory = config.local_idp_dir()
    idp = LocalIdentityProvider(directory, local_base_url())
    idp.write_metadata(directory / "idp-metadata.xml")
    provider = config.current().saml
    if provider is None or not provider.local_test_idp:
        raise RuntimeError(
            "The local test IdP runs only in the demo (DEBUG, no SAML_IDP_METADATA)."
        )
    idp.trust_sp(oiosaml.metadata_xml(provider))
    return idp


def demo_people() -> list[Person]:
    """Whom one may log in as at the demo's IdP: every active member of a business, with a
    UUID made from their user name (the same at every start), and two who are refused."""
    from erhvervskontakt.businesses.models import Membership

    people = []
    memberships = (
        Membership.objects.filter(active=True, user__is_active=True, user__is_staff=False)
        .exclude(source=Membership.Source.MITID_ERHVERV)
        .select_related("user", "business")
        .order_by("business__name", "user__username")
    )
    for membership in memberships:
        user, business = membership.user, membership.business
        people.append(
            Person(
                name=user.get_full_name() or user.username,
                email=user.email,
                cvr=business.cvr,
                org_name=business.name,
                uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"erhvervskontakt-demo:{user.username}")),
            )
        )
    if people:
        first = people[0]
        people.append(
            replace(
                first,
                name="Lone Lavniveau",
                uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, "lav")),
                loa="Low",
                email="lone@demo.example",
            )
        )
        people.append(
            replace(
                first,
                name="Per Privat",
                uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, "privat")),
                professional=False,
                email="per@demo.example",
            )
        )
    return people
