"""Test support for MitID Erhverv logins: our SP configured against the local test IdP.

The IdP is pysaml2's ``Server`` (``demo.saml_idp``) with keys made for the test run; it reads
the real AuthnRequest from our login redirect and answers with real signed and encrypted
OIOSAML 3 responses, spoiled on request (``Tamper``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from erhvervskontakt.demo.saml_idp import (
    AuthnRequestSeen,
    LocalIdentityProvider,
    Person,
    Tamper,
    redirect_query,
)
from erhvervskontakt.demo.saml_keys import ensure_keypair
from erhvervskontakt.identity import config, saml

SP_ENTITY_ID = "https://erhvervskontakt.test/saml2/metadata/"
IDP_BASE = "http://127.0.0.1:18089"


@dataclass
class SamlWorld:
    idp: LocalIdentityProvider
    provider: config.SamlProvider

    def start(self, client: Client, next_url: str = "") -> AuthnRequestSeen:
        """Press "Log på med MitID Erhverv": our signed AuthnRequest, as the IdP reads it."""
        path = "/saml2/login/" + (f"?next={next_url}" if next_url else "")
        answer = client.get(path)
        assert answer.status_code == 302, answer.content[:500]
        location = answer["Location"]
        assert location.startswith(self.idp.base_url + "/sso?"), location
        assert "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256" in location
        return self.idp.read_authn_request(redirect_query(location))

    def post(self, client: Client, request: AuthnRequestSeen, encoded: str, **extra: Any) -> Any:
        return client.post(
            urlsplit(saml.acs_url()).path,
            {"SAMLResponse": encoded, "RelayState": request.relay_state, **extra},
        )

    def login(
        self,
        client: Client,
        person: Person,
        tamper: Tamper | None = None,
        next_url: str = "",
    ) -> Any:
        request = self.start(client, next_url)
        return self.post(client, request, self.idp.login_response(request, person, tamper))


def make_world(
    directory: Path, settings: Any, *, idp_key_name: str = "idp", idp_base: str = IDP_BASE
) -> SamlWorld:
    """Keys (kept in ``directory`` for the run), the IdP, and our SP set up against it."""
    sp_key, sp_cert = ensure_keypair(directory / "sp", "sp", "Erhvervskontakt test-SP")
    idp = LocalIdentityProvider(directory / "idp", idp_base, key_name=idp_key_name)
    metadata = idp.write_metadata(directory / f"{idp_key_name}-metadata.xml")
    settings.SAML_IDP_METADATA = str(metadata)
    settings.SAML_SP_ENTITY_ID = SP_ENTITY_ID
    settings.SAML_SP_KEY_FILE = str(sp_key)
    settings.SAML_SP_CERT_FILE = str(sp_cert)
    settings.SAML_SP_ENCRYPTION_KEY_FILE = ""
    settings.SAML_SP_ENCRYPTION_CERT_FILE = ""
    settings.SAML_REQUIRED_LOA = "Substantial"
    settings.SAML_REQUIRED_PRIVILEGE = ""
    provider = config.current().saml
    assert provider is not None
    idp.trust_sp(saml.metadata_xml(provider))
    return SamlWorld(idp=idp, provider=provider)


def employee(cvr: str, **changes: Any) -> Person:
    """An employee of the business with ``cvr`` with MitID Erhverv at level Substantial."""
    values: dict[str, Any] = {
        "name": "Mette Madsen",
        "email": f"mette.{uuid.uuid4().hex[:6]}@firma.example",
        "cvr": cvr,
        "org_name": "Madsens Maskiner ApS",
        "uuid": str(uuid.uuid4()),
    }
    values.update(changes)
    return Person(**values)
