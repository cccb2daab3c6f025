"""A small, real OpenID provider for the tests of the staff login: an Entra ID look-alike on
a loopback port, signing RS256 ID tokens with keys made for the run (joserfc).

It serves, under ``http://127.0.0.1:<port>/<tenant>/`` as Entra ID's v2.0 endpoints do:
the discovery document (``v2.0/.well-known/openid-configuration``), ``oauth2/v2.0/authorize``
(approves at once and redirects back with a code and the state), ``oauth2/v2.0/token`` (checks
the client id and secret, the code — one use —, the redirect URI and the PKCE verifier against
the S256 challenge) and ``discovery/v2.0/keys`` (the JWKS).

Tests say who logs in and what goes wrong through the fixture object::

    entra.sign_in_as(oid=..., roles=["Erhvervskontakt.Tovholder"], name="Karen Kofoed")
    entra.tamper(issuer="https://evil/v2.0")   # or audience=, expired=True, foreign_key=True,
                                               # nonce="x", tenant_id="...", error="access_denied",
                                               # omit_code=True

``oidc_provider`` is the pytest fixture (one server per test session, reset for each test);
a test module imports ``oidc_provider_fixture`` and ``oidc_provider_server_fixture``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "6f1f5d3e-0c1e-4b7a-9d1e-erhvervskontakt"
CLIENT_SECRET = "test-hemmelighed-" + "x" * 16


@dataclass
class Person:
    """Who the next login is (the claims the provider will issue)."""

    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    roles: list[str] = field(default_factory=list)
    name: str = "Karen Kofoed"
    email: str = "karen.kofoed@kommune.dk"
    preferred_username: str = "kako@kommune.dk"
    # None: the provider's own tenant.
    tid: str | None = None


@dataclass
class Tamper:
    """What goes wrong with the next ID token (or the redirect back)."""

    issuer: str | None = None
    audience: str | None = None
    expired: bool = False
    foreign_key: bool = False  # signed with a key not in the JWKS, under the JWKS's key id
    nonce: str | None = None
    tenant_id: str | None = None
    error: str | None = None  # ?error=... instead of a code
    omit_code: bool = False


@dataclass
class IssuedCode:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    person: Person
    tamper: Tamper


class OidcTestProvider:
    """The running provider. ``issuer``, ``tenant_id``, ``client_id``, ``client_secret``."""

    def __init__(self) -> None:
        self.tenant_id = str(uuid.uuid4())
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.kid = secrets.token_hex(8)
        self.key = RSAKey.generate_key(
            2048, {"kid": self.kid, "use": "sig", "alg": "RS256"}, private=True
        )
        # Another key under the same key id: its signature must not pass.
        self.other_key = RSAKey.generate_key(
            2048, {"kid": self.kid, "use": "sig", "alg": "RS256"}, private=True
        )
        self._lock = threading.Lock()
        self._codes: dict[str, IssuedCode] = {}
        self.person = Person()
        self._tamper = Tamper()
        # What the provider saw, for assertions: the authorize queries and token forms.
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/{self.tenant_id}"
        self.issuer = f"{self.base}/v2.0"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # --- the Python API of the tests ---------------------------------------------------

    def sign_in_as(self, **claims: Any) -> Person:
        """The next login is this person (``oid``, ``roles``, ``name``, ``email``, ``tid``)."""
        self.person = Person(**claims)
        return self.person

    def tamper(self, **what: Any) -> None:
        """Make the next logins go wrong in this way (until ``reset``)."""
        self._tamper = replace(self._tamper, **what)

    def reset(self) -> None:
        with self._lock:
            self._codes.clear()
        self.person = Person()
        self._tamper = Tamper()
        self.authorize_requests.clear()
        self.token_requests.clear()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{self.base}/oauth2/v2.0/token",
            "jwks_uri": f"{self.base}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def jwks(self) -> dict[str, Any]:
        return KeySet([self.key]).as_dict(private=False)

    def id_token(self, issued: IssuedCode) -> str:
        person, tamper = issued.person, issued.tamper
        now = int(time.time())
        if tamper.expired:
            now -= 2 * 3600
        claims = {
            "ver": "2.0",
            "iss": tamper.issuer or self.issuer,
            "aud": tamper.audience or issued.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "nonce": tamper.nonce if tamper.nonce is not None else issued.nonce,
            "sub": hashlib.sha256(f"{person.oid}:{issued.client_id}".encode()).hexdigest()[:43],
            "oid": person.oid,
            "tid": tamper.tenant_id or person.tid or self.tenant_id,
            "name": person.name,
            "preferred_username": person.preferred_username,
            "email": person.email,
            "roles": list(person.roles),
        }
        key = self.other_key if tamper.foreign_key else self.key
        return jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, key)

    # --- HTTP ----------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.authorize_requests.append(query)
        redirect_uri = query.get("redirect_uri", "")
        if (
            query.get("client_id") != self.client_id
            or query.get("response_type") != "code"
            or "openid" not in query.get("scope", "").split()
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
            or not redirect_uri.startswith(("http://", "https://"))
        ):
            return 400, {"Content-Type": "text/plain"}, b"AADSTS900144: invalid request"
        tamper = self._tamper
        answer: dict[str, str] = {"state": query.get("state", "")}
        if tamper.error:
            answer.update(error=tamper.error, error_description="AADSTS65004: User declined.")
        elif not tamper.omit_code:
            code = secrets.token_urlsafe(32)
            with self._lock:
                self._codes[code] = IssuedCode(
                    client_id=query["client_id"],
                    redirect_uri=redirect_uri,
                    challenge=query["code_challenge"],
                    nonce=query.get("nonce", ""),
                    person=replace(self.person, roles=list(self.person.roles)),
                    tamper=tamper,
                )
            answer["code"] = code
        separator = "&" if "?" in redirect_uri else "?"
        return 302, {"Location": f"{redirect_uri}{separator}{urlencode(answer)}"}, b""

    def _token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        if client_id != self.client_id or not secrets.compare_digest(secret, self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            issued = self._codes.pop(form.get("code", ""), None)  # one use per code
        if issued is None or issued.client_id != client_id:
            return 400, {"error": "invalid_grant", "error_description": "AADSTS70008: bad code"}
        if form.get("redirect_uri") != issued.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if not verifier or not secrets.compare_digest(challenge, issued.challenge):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier wrong"}
        return 200, {
            "token_type": "Bearer",
            "scope": "openid profile email",
            "expires_in": 3600,
            "access_token": secrets.token_urlsafe(24),
            "id_token": self.id_token(issued),
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self
        prefix = f"/{self.tenant_id}"

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, data: dict[str, Any]) -> None:
                body = json.dumps(data).encode()
                self._send(status, {"Content-Type": "application/json"}, body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                path = url.path.removeprefix(prefix)
                if path == "/v2.0/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif path == "/discovery/v2.0/keys":
                    self._json(200, provider.jwks())
                elif path == "/oauth2/v2.0/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    self._send(*provider._authorize(query))
                else:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")

            def do_POST(self) -> None:
                path = urlsplit(self.path).path.removeprefix(prefix)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if path != "/oauth2/v2.0/token":
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                self._json(*provider._token(form, self.headers.get("Authorization", "")))

        return Handler


@pytest.fixture(scope="session", name="oidc_provider_server")
def oidc_provider_server_fixture() -> Iterator[OidcTestProvider]:
    provider = OidcTestProvider()
    yield provider
    provider.stop()


@pytest.fixture(name="oidc_provider")
def oidc_provider_fixture(
    oidc_provider_server: OidcTestProvider, settings: Any
) -> OidcTestProvider:
    """The test provider, reset, with the settings pointing the workbench at it (no role map:
    tests give ``settings.OIDC_ROLE_MAP`` or ``StaffRoleMapping`` rows)."""
    from erhvervskontakt.identity.oidc import forget_metadata

    provider = oidc_provider_server
    provider.reset()
    forget_metadata()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = provider.client_id
    settings.OIDC_CLIENT_SECRET = provider.client_secret
    settings.OIDC_TENANT_ID = ""
    settings.OIDC_ROLE_MAP = "{}"
    settings.OIDC_BREAK_GLASS_USERS = []
    return provider
