"""Our SAML service provider towards NemLog-in: the OIOSAML 3 profile on pysaml2.

Longer than our usual modules: it is the one place that knows the profile (configuration,
metadata, login, every check, logout), so that a reviewer of the OIOSAML rules reads one file.

pysaml2 (with Debian's ``xmlsec1``) does every piece of XML signature and encryption work:
signing our AuthnRequest and LogoutRequest, decrypting the assertion, verifying the IdP's
signature against its metadata, the audience, the bearer confirmation and the request we
sent. On top of it this module enforces what OIOSAML 3 adds, and refuses anything else with a
``SamlRefused`` that carries a reason code (for the login log) and a Danish message (for the
person): exactly one ``EncryptedAssertion`` and no plain one, ``specVersion`` OIO-SAML-3.0, the
NSIS level of assurance whatever was requested, a professional identity with a valid CVR, the
privileges, no DTD or entity in the XML, a response of a bounded size.

No HTTP here: the portal's views hand in what the browser sent and get back a
``VerifiedLogin`` or a refusal; ``identity.services.business_login`` turns a verified login
into our user and memberships.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import shutil
import threading
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, md, samlp, xmldsig
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.response import StatusError, UnsolicitedResponse
from saml2.saml import (
    NAME_FORMAT_URI,
    NAMEID_FORMAT_PERSISTENT,
    SCM_BEARER,
    AuthnContextClassRef,
    NameID,
)
from saml2.samlp import RequestedAuthnContext
from saml2.sigver import SigverError
from saml2.validate import ResponseLifetimeExceed, ToEarly
from stdnum.dk import cvr as stdnum_cvr

from erhvervskontakt.common import clock

from .config import LOA_URI_PREFIX, PROFESSIONAL_CONTEXT, SamlProvider

logger = logging.getLogger(__name__)

# OIOSAML 3 attribute names (the OIOSAML Web SSO profile 3.0, attribute profile).
SPEC_VERSION = "https://data.gov.dk/model/core/specVersion"
LOA = "https://data.gov.dk/concept/core/nsis/loa"
CVR = "https://data.gov.dk/model/core/eid/professional/cvr"
ORG_NAME = "https://data.gov.dk/model/core/eid/professional/orgName"
PROFESSIONAL_UUID = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"
EMAIL = "https://data.gov.dk/model/core/eid/email"
FULL_NAME = "https://data.gov.dk/model/core/eid/fullName"
FIRST_NAME = "https://data.gov.dk/model/core/eid/firstName"
LAST_NAME = "https://data.gov.dk/model/core/eid/lastName"
PRIVILEGES = "https://data.gov.dk/model/core/eid/privilegesIntermediate"
REQUESTED_ATTRIBUTES = (SPEC_VERSION, LOA, CVR, ORG_NAME, PROFESSIONAL_UUID, EMAIL, FULL_NAME)
OPTIONAL_ATTRIBUTES = (FIRST_NAME, LAST_NAME, PRIVILEGES)
SPEC_VERSION_VALUE = "OIO-SAML-3.0"
PROFESSIONAL_NAME_ID_PREFIX = "https://data.gov.dk/model/core/eid/professional/uuid/"
PRIVILEGE_NAMESPACES = (
    "http://digst.dk/oiosaml/basic_privilege_profile",
    "http://itst.dk/oiosaml/basic_privilege_profile",
)
CVR_SCOPE_PREFIX = "urn:dk:gov:saml:cvrNumberIdentifier:"
# What we advertise for the assertion's encryption (NemLog-in's algorithms).
KEY_TRANSPORT = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
BLOCK_ENCRYPTION = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"

SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
# A real NemLog-in response is 10-20 kB; anything far larger is refused before parsing.
MAX_RESPONSE_BYTES = 100_000
MAX_RELAY_STATE = 512
ACS_PATH = "/saml2/acs/"
SLO_PATH = "/saml2/ls/"
METADATA_PATH = "/saml2/metadata/"


class SamlRefused(Exception):
    """A SAML message we will not act on: ``reason`` for the log, ``message`` for people."""

    def __init__(self, reason: str, message: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail or message}")
        self.reason = reason
        self.message = message
        self.detail = detail


def _not_valid() -> str:
    return _("Svaret fra NemLog-in kunne ikke godkendes, så I er ikke logget på.")


@dataclass(frozen=True)
class VerifiedLogin:
    """What a verified OIOSAML 3 assertion says about the person and whom they act for."""

    professional_uuid: str
    name_id: str
    name: str
    email: str
    cvr: str
    org_name: str
    loa: str
    assertion_id: str
    not_on_or_after: dt.datetime
    session_index: str
    idp_entity_id: str
    # CVR → the privilege URIs the person holds for it (from privilegesIntermediate).
    privileges: dict[str, frozenset[str]] = field(default_factory=dict)
    request_id: str = ""


# --- configuration -------------------------------------------------------------------------


def site_url() -> str:
    return (getattr(settings, "SITE_URL", "") or f"http://{settings.SITE_BIND}").rstrip("/")


def acs_url() -> str:
    return site_url() + ACS_PATH


def slo_url() -> str:
    return site_url() + SLO_PATH


_CONFIG_LOCK = threading.Lock()
_CONFIG_CACHE: dict[tuple[Any, ...], SPConfig] = {}


def idp_metadata_file(provider: SamlProvider) -> Path:
    """The IdP's metadata on disk: the file named, or the cached copy of the URL named
    (fetched on first use; ``manage.py saml_refresh_idp_metadata`` renews it)."""
    source = provider.idp_metadata
    if source.startswith(("http://", "https://")):
        cached = metadata_cache_path(source)
        if not cached.exists():
            refresh_idp_metadata(provider)
        return cached
    return Path(source)


def metadata_cache_path(url: str) -> Path:
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Path(settings.BASE_DIR) / "var" / "saml" / f"idp-metadata-{digest}.xml"


def refresh_idp_metadata(provider: SamlProvider, *, timeout: float = 30) -> Path:
    """Fetch the IdP's metadata from its URL (or re-read its file), check that it parses as
    SAML metadata with an IdP, and store it where ``idp_metadata_file`` finds it."""
    source = provider.idp_metadata
    if not source.startswith(("http://", "https://")):
        path = Path(source)
        _check_metadata(path.read_bytes(), source)
        _CONFIG_CACHE.clear()
        return path
    with urllib.request.urlopen(source, timeout=timeout) as answer:  # noqa: S310 (http(s) only)
        data = answer.read(5_000_000)
    _check_metadata(data, source)
    target = metadata_cache_path(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(target)
    _CONFIG_CACHE.clear()
    return target


def _check_metadata(data: bytes, source: str) -> None:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise ImproperlyConfigured(f"The IdP metadata at {source} is not XML: {error}") from error
    if root.find(f".//{{{md.NAMESPACE}}}IDPSSODescriptor") is None:
        raise ImproperlyConfigured(f"The metadata at {source} describes no identity provider.")


def sp_config(provider: SamlProvider) -> SPConfig:
    """pysaml2's configuration of our SP, cached until a file it reads changes."""
    metadata = idp_metadata_file(provider)
    files = (provider.key_file, provider.cert_file, provider.encryption_cert_file, metadata)
    try:
        stamps = tuple(path.stat().st_mtime_ns for path in files)
    except FileNotFoundError as error:
        raise ImproperlyConfigured(f"SAML: {error.filename} is missing.") from error
    key = (provider, acs_url(), slo_url(), stamps)
    with _CONFIG_LOCK:
        config = _CONFIG_CACHE.get(key)
        if config is None:
            config = SPConfig()
            config.load(_config_dict(provider, metadata))
            _CONFIG_CACHE.clear()
            _CONFIG_CACHE[key] = config
        return config


def _config_dict(provider: SamlProvider, metadata: Path) -> dict[str, Any]:
    xmlsec = shutil.which("xmlsec1")
    if xmlsec is None:
        raise ImproperlyConfigured(
            "SAML needs Debian's xmlsec1: run 'sudo apt-get install xmlsec1' (make run and "
            "make test install it when they may)."
        )
    return {
        "entityid": provider.entity_id,
        "xmlsec_binary": xmlsec,
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": "Erhvervskontakt",
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)],
                    "single_logout_service": [(slo_url(), BINDING_HTTP_REDIRECT)],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "allow_unsolicited": False,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "name_id_format_allow_create": False,
                "required_attributes": list(REQUESTED_ATTRIBUTES),
                "optional_attributes": list(OPTIONAL_ATTRIBUTES),
                "requested_attribute_name_format": NAME_FORMAT_URI,
                "signing_algorithm": xmldsig.SIG_RSA_SHA256,
                "digest_algorithm": xmldsig.DIGEST_SHA256,
            }
        },
        "key_file": str(provider.key_file),
        "cert_file": str(provider.cert_file),
        "encryption_keypairs": [
            {
                "key_file": str(provider.encryption_key_file),
                "cert_file": str(provider.encryption_cert_file),
            }
        ],
        "metadata": {"local": [str(metadata)]},
        "organization": {
            "name": [("Erhvervskontakt", "da")],
            "display_name": [("Erhvervskontakt", "da")],
            "url": [(site_url() + "/", "da")],
        },
        "contact_person": [
            {
                "contact_type": "technical",
                "email_address": [
                    getattr(settings, "SAML_TECHNICAL_CONTACT", "") or settings.DEFAULT_FROM_EMAIL
                ],
            }
        ],
    }


def idp_entity_id(provider: SamlProvider) -> str:
    """The one IdP of the metadata (NemLog-in, or the demo's local test IdP)."""
    idps = list(sp_config(provider).metadata.identity_providers())
    if len(idps) != 1:
        raise ImproperlyConfigured(
            f"SAML_IDP_METADATA must describe exactly one identity provider, not {len(idps)}."
        )
    return str(idps[0])


def metadata_xml(provider: SamlProvider) -> str:
    """Our SP metadata for NemLog-in Administration: signing and encryption certificate,
    the attributes we ask for, one SLO binding, the encryption algorithms we accept."""
    descriptor = entity_descriptor(sp_config(provider))
    descriptors = descriptor.spsso_descriptor
    for sp in descriptors if isinstance(descriptors, list) else [descriptors]:
        sp.protocol_support_enumeration = samlp.NAMESPACE
        for key in sp.key_descriptor:
            if key.use == "encryption":
                key.encryption_method = [
                    md.EncryptionMethod(algorithm=BLOCK_ENCRYPTION),
                    md.EncryptionMethod(algorithm=KEY_TRANSPORT),
                ]
    return str(descriptor)


# --- login ---------------------------------------------------------------------------------


def authn_request(provider: SamlProvider, *, relay_state: str) -> tuple[str, str]:
    """A signed AuthnRequest (HTTP-Redirect, rsa-sha256) asking for at least the required
    level of assurance and a professional identity; returns its id and the redirect URL."""
    client = Saml2Client(sp_config(provider))
    context = RequestedAuthnContext(
        authn_context_class_ref=[
            AuthnContextClassRef(text=provider.required_loa_uri),
            AuthnContextClassRef(text=PROFESSIONAL_CONTEXT),
        ],
        comparison="minimum",
    )
    request_id, info = client.prepare_for_authenticate(
        entityid=idp_entity_id(provider),
        relay_state=relay_state,
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=xmldsig.SIG_RSA_SHA256,
        digest_alg=xmldsig.DIGEST_SHA256,
        nameid_format=NAMEID_FORMAT_PERSISTENT,
        requested_authn_context=context,
    )
    return str(request_id), redirect_location(info)


def redirect_location(info: dict[str, Any]) -> str:
    """Where pysaml2's HTTP-Redirect binding sends the browser (its Location header)."""
    return str(dict(info["headers"])["Location"])


def check_relay_state(value: str) -> str:
    """RelayState back from the IdP: at most 512 characters and a local path, else ''."""
    if not value or len(value) > MAX_RELAY_STATE:
        return ""
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return ""
    if any(ch in value for ch in "\r\n\t\\") or "\x00" in value:
        return ""
    return value


def _raw_checks(encoded: str) -> bytes:
    """What is refused before any SAML library sees it: size, encoding, DTDs and entities,
    and anything but exactly one EncryptedAssertion (no plain assertion) in the Response."""
    if len(encoded) > MAX_RESPONSE_BYTES * 4 // 3 + 4:
        raise SamlRefused("too_large", _not_valid(), f"{len(encoded)} characters")
    try:
        data = base64.b64decode(encoded, validate=False)
    except (binascii.Error, ValueError) as error:
        raise SamlRefused("malformed", _not_valid(), "not base64") from error
    if len(data) > MAX_RESPONSE_BYTES:
        raise SamlRefused("too_large", _not_valid(), f"{len(data)} bytes")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True)
    except DefusedXmlException as error:
        raise SamlRefused("xml_dtd", _not_valid(), type(error).__name__) from error
    except (ParseError, ValueError) as error:
        raise SamlRefused("malformed", _not_valid(), str(error)[:200]) from error
    if root.tag != f"{{{SAMLP_NS}}}Response":
        raise SamlRefused("malformed", _not_valid(), f"root element {root.tag[:100]}")
    encrypted = root.findall(f"{{{SAML_NS}}}EncryptedAssertion")
    plain = root.findall(f".//{{{SAML_NS}}}Assertion")
    if plain:
        raise SamlRefused("plain_assertion", _not_valid(), f"{len(plain)} unencrypted assertion(s)")
    if len(encrypted) != 1:
        raise SamlRefused("assertion_count", _not_valid(), f"{len(encrypted)} encrypted assertions")
    return data


def response_request_id(encoded: str) -> str:
    """The ``InResponseTo`` of a response, read safely (to consume that request at once)."""
    try:
        root = SafeET.fromstring(_raw_checks(encoded), forbid_dtd=True)
    except SamlRefused:
        return ""
    return str(root.get("InResponseTo") or "")[:200]


def verify_login(
    provider: SamlProvider, encoded: str, *, outstanding: dict[str, str]
) -> VerifiedLogin:
    """Check a SAMLResponse from the browser against OIOSAML 3; the verified login or
    ``SamlRefused``. ``outstanding`` holds the requests this browser sent and has not used."""
    _raw_checks(encoded)
    config = sp_config(provider)
    client = Saml2Client(config)
    try:
        response = client.parse_authn_request_response(
            encoded, BINDING_HTTP_POST, outstanding=outstanding
        )
    except UnsolicitedResponse as error:
        raise SamlRefused(
            "unknown_request",
            _(
                "Svaret fra NemLog-in hører ikke til et log-in, der er startet her (eller det "
                "er brugt før). Start forfra."
            ),
            str(error)[:300],
        ) from error
    except (ResponseLifetimeExceed, ToEarly) as error:
        raise SamlRefused(
            "expired",
            _("Log-in hos NemLog-in er udløbet. Start forfra."),
            type(error).__name__,
        ) from error
    except StatusError as error:
        raise SamlRefused(
            "idp_status",
            _("NemLog-in gennemførte ikke log-in (fx fordi det blev afbrudt). Prøv igen."),
            str(error)[:300],
        ) from error
    except SigverError as error:
        reason = "unsigned" if "missing" in str(error).lower() else "signature"
        raise SamlRefused(reason, _not_valid(), str(error)[:300]) from error
    except Exception as error:
        # pysaml2 raises many kinds (ValueError, SAMLError, its own Exceptions) for responses
        # that fail a check: every one is a refusal, never a server error.
        logger.info("SAML response refused by pysaml2: %r", error)
        text = str(error).lower()
        reason = (
            "audience"
            if "audience" in text
            else "recipient"
            if "recipient" in text
            # pysaml2's "Condition not OK": the assertion's validity window (the audience
            # restriction is reported by name above).
            else "expired"
            if "condition" in text or "lifetime" in text
            else "invalid"
        )
        raise SamlRefused(reason, _not_valid(), f"{type(error).__name__}: {error}"[:300]) from error
    if response is None:
        raise SamlRefused("invalid", _not_valid(), "pysaml2 returned no response")
    return _oiosaml_checks(provider, response, idp_entity_id(provider))


def _oiosaml_checks(provider: SamlProvider, response: Any, idp: str) -> VerifiedLogin:
    assertion = response.assertion
    if assertion is None or (
        getattr(response, "assertions", None) and len(response.assertions) != 1
    ):
        raise SamlRefused("assertion_count", _not_valid(), "not exactly one assertion")
    if assertion.signature is None:
        raise SamlRefused("unsigned", _not_valid(), "the assertion is not signed")
    issuer = assertion.issuer.text.strip() if assertion.issuer is not None else ""
    if issuer != idp:
        raise SamlRefused("issuer", _not_valid(), f"issuer {issuer[:200]!r}")
    audiences = [
        (audience.text or "").strip()
        for restriction in (
            assertion.conditions.audience_restriction if assertion.conditions else []
        )
        for audience in restriction.audience
    ]
    if provider.entity_id not in audiences:
        raise SamlRefused("audience", _not_valid(), f"audience {audiences!r:.200}")
    now = clock.now()
    confirmed: dt.datetime | None = None
    for confirmation in assertion.subject.subject_confirmation:
        data = confirmation.subject_confirmation_data
        if confirmation.method != SCM_BEARER or data is None:
            continue
        if (data.recipient or "") != acs_url():
            raise SamlRefused("recipient", _not_valid(), f"recipient {data.recipient!r:.200}")
        if not data.not_on_or_after:
            continue
        until = _instant(data.not_on_or_after)
        if until <= now:
            raise SamlRefused("expired", _("Log-in hos NemLog-in er udløbet. Start forfra."))
        confirmed = until
    if confirmed is None:
        raise SamlRefused("confirmation", _not_valid(), "no bearer confirmation in force")

    attributes = response.ava or {}

    def one(name: str) -> str:
        values = attributes.get(name) or []
        return str(values[0]).strip() if values else ""

    if one(SPEC_VERSION) != SPEC_VERSION_VALUE:
        raise SamlRefused("spec_version", _not_valid(), f"specVersion {one(SPEC_VERSION)!r:.50}")
    loa = one(LOA)
    context_refs = [
        (statement.authn_context.authn_context_class_ref.text or "").strip()
        for statement in assertion.authn_statement
        if statement.authn_context is not None
        and statement.authn_context.authn_context_class_ref is not None
    ]
    loa_refs = [ref for ref in context_refs if ref.startswith(LOA_URI_PREFIX)]
    if not provider.loa_is_enough(loa) or any(not provider.loa_is_enough(r) for r in loa_refs):
        raise SamlRefused(
            "loa",
            _(
                "Jeres log-in har ikke et højt nok sikringsniveau. Log på med MitID Erhverv på "
                "niveau %(level)s eller højere."
            )
            % {"level": provider.required_loa},
            f"loa {loa!r:.30}, context {loa_refs!r:.100}",
        )
    name_id = response.name_id
    name_id_value = (name_id.text or "").strip() if name_id is not None else ""
    if (
        name_id is None
        or name_id.format != NAMEID_FORMAT_PERSISTENT
        or not name_id_value.startswith(PROFESSIONAL_NAME_ID_PREFIX)
    ):
        raise SamlRefused(
            "not_professional",
            _(
                "Portalen er for virksomheder: log på med MitID Erhverv (som medarbejder i en "
                "virksomhed), ikke med jeres private MitID."
            ),
            f"NameID {name_id_value[:100]!r}",
        )
    uuid = name_id_value.removeprefix(PROFESSIONAL_NAME_ID_PREFIX)
    attribute_uuid = one(PROFESSIONAL_UUID).removeprefix("urn:uuid:")
    if not _is_uuid(uuid) or (attribute_uuid and attribute_uuid.lower() != uuid.lower()):
        raise SamlRefused("not_professional", _not_valid(), f"uuid {uuid[:60]!r}")
    cvr = one(CVR)
    if not (len(cvr) == 8 and cvr.isdigit() and stdnum_cvr.is_valid(cvr)):
        raise SamlRefused(
            "cvr",
            _(
                "Log-in fra NemLog-in har ikke et gyldigt CVR-nummer, så vi ved ikke, hvilken "
                "virksomhed I handler for."
            ),
            f"cvr {cvr[:20]!r}",
        )
    name = one(FULL_NAME) or " ".join(part for part in (one(FIRST_NAME), one(LAST_NAME)) if part)
    session_index = ""
    for statement in assertion.authn_statement:
        session_index = statement.session_index or session_index
    return VerifiedLogin(
        professional_uuid=uuid.lower(),
        name_id=name_id_value,
        name=name[:150],
        email=one(EMAIL)[:254],
        cvr=cvr,
        org_name=one(ORG_NAME)[:200],
        loa=loa.removeprefix(LOA_URI_PREFIX),
        assertion_id=str(assertion.id or "")[:200],
        not_on_or_after=confirmed,
        session_index=session_index[:200],
        idp_entity_id=idp,
        privileges=parse_privileges(one(PRIVILEGES)),
        request_id=str(response.in_response_to or "")[:200],
    )


def _is_uuid(value: str) -> bool:
    import uuid as uuid_module

    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True


def _instant(value: str) -> dt.datetime:
    text = value.strip().replace("Z", "+00:00")
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def parse_privileges(encoded: str) -> dict[str, frozenset[str]]:
    """The OIO basic privilege profile (base64 XML, either namespace): CVR → privileges.

    Groups scoped to something other than a CVR (a production unit, an SE number) are not
    used by the portal. Anything that does not parse gives no privileges (and so, where a
    privilege is required, no access) rather than an error.
    """
    if not encoded:
        return {}
    try:
        root: Element = SafeET.fromstring(
            base64.b64decode(encoded, validate=False), forbid_dtd=True, forbid_entities=True
        )
    except (binascii.Error, ValueError, ParseError, DefusedXmlException):
        logger.info("privilegesIntermediate could not be read")
        return {}
    found: dict[str, set[str]] = {}
    for namespace in ("", *PRIVILEGE_NAMESPACES):
        prefix = f"{{{namespace}}}" if namespace else ""
        for group in root.iter(f"{prefix}PrivilegeGroup"):
            scope = (group.get("Scope") or "").strip()
            if not scope.startswith(CVR_SCOPE_PREFIX):
                continue
            cvr = scope.removeprefix(CVR_SCOPE_PREFIX)
            if not (len(cvr) == 8 and cvr.isdigit()):
                continue
            for child in group:
                if child.tag.rsplit("}", 1)[-1] == "Privilege" and (child.text or "").strip():
                    found.setdefault(cvr, set()).add(child.text.strip())  # type: ignore[union-attr]
    return {cvr: frozenset(values) for cvr, values in found.items()}


# --- logout --------------------------------------------------------------------------------


def logout_request(provider: SamlProvider, *, name_id: str, session_index: str) -> str:
    """A signed LogoutRequest (HTTP-Redirect) for the person's NemLog-in session: the URL."""
    config = sp_config(provider)
    client = Saml2Client(config)
    idp = idp_entity_id(provider)
    destinations = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
    if not destinations:
        raise ImproperlyConfigured("The IdP's metadata has no HTTP-Redirect logout service.")
    destination = destinations[0]["location"]
    _request_id, request = client.create_logout_request(
        destination,
        idp,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id),
        session_indexes=[session_index] if session_index else None,
        sign=False,
    )
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(request),
        destination,
        relay_state="",
        sign=True,
        sigalg=xmldsig.SIG_RSA_SHA256,
    )
    return redirect_location(info)


@dataclass(frozen=True)
class IdpLogout:
    name_id: str
    redirect_url: str


def handle_idp_logout_request(
    provider: SamlProvider, *, saml_request: str, relay_state: str, sig_alg: str, signature: str
) -> IdpLogout:
    """An IdP-initiated LogoutRequest (HTTP-Redirect, signed): whom it is for and where the
    signed LogoutResponse goes. A request that fails its signature is ``SamlRefused``."""
    client = Saml2Client(sp_config(provider))
    try:
        parsed = client.parse_logout_request(
            saml_request,
            BINDING_HTTP_REDIRECT,
            relay_state=relay_state,
            sigalg=sig_alg,
            signature=signature,
        )
    except Exception as error:
        raise SamlRefused("logout_invalid", _not_valid(), type(error).__name__) from error
    if parsed is None or not signature:
        raise SamlRefused("logout_invalid", _not_valid(), "unsigned or unreadable LogoutRequest")
    message = parsed.message
    name_id = (message.name_id.text or "").strip() if message.name_id is not None else ""
    response = client.create_logout_response(message, [BINDING_HTTP_REDIRECT])
    destinations = client.metadata.single_logout_service(
        idp_entity_id(provider), BINDING_HTTP_REDIRECT, "idpsso"
    )
    destination = destinations[0].get("response_location") or destinations[0]["location"]
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        destination,
        relay_state=relay_state,
        response=True,
        sign=True,
        sigalg=xmldsig.SIG_RSA_SHA256,
    )
    return IdpLogout(name_id=name_id, redirect_url=redirect_location(info))


def check_logout_response(
    provider: SamlProvider, *, saml_response: str, relay_state: str, sig_alg: str, signature: str
) -> bool:
    """The IdP's answer to our LogoutRequest: True if it is valid and says success. The local
    session has ended already, whatever it says."""
    client = Saml2Client(sp_config(provider))
    try:
        answer = client.parse_logout_request_response(saml_response, BINDING_HTTP_REDIRECT)
    except Exception:
        logger.info("LogoutResponse from the IdP could not be read", exc_info=True)
        return False
    return bool(answer is not None and answer.status_ok())
