"""Our OpenID Connect client towards the municipality's Entra ID: the authorization-code flow
with PKCE (S256) and the ID token's verification.

Authlib's requests client builds the authorize URL (with the S256 code challenge) and
exchanges the code; joserfc verifies the ID token — RS256 only, against the keys of the
provider's JWKS, and the claims ``iss``, ``aud``, ``exp``/``nbf``/``iat`` and ``nonce``. Nothing
here hand-checks a signature. Every failure is an ``OidcRefused`` with a short reason code
(for the login log, ``REASONS``) and a Danish message (for the person).

The discovery document and the JWKS are fetched from ``<issuer>/.well-known/openid-
configuration`` and kept in memory for ``METADATA_TTL`` seconds; a token signed with a key id
we do not know makes one fresh fetch of the JWKS (Entra rolls its keys) before it is refused.

No Django request here: the workbench's views keep state, nonce and verifier in the session
and hand them in; ``identity.services.staff_login`` turns verified claims into our user.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import KeySet

from .config import OidcProvider

logger = logging.getLogger(__name__)

METADATA_TTL = 3600  # seconds
HTTP_TIMEOUT = 10  # seconds
# Clock skew allowed on exp/nbf/iat between Entra ID and us.
LEEWAY = 120  # seconds
SCOPE = "openid profile email"
ALGORITHMS = ["RS256"]

# Every reason a staff login is refused with, as written to the login log.
REASONS = {
    "provider_error": "Entra ID svarede med en fejl (fx afbrudt af brugeren)",
    "missing_code": "svaret fra Entra ID havde ingen kode",
    "state": "ukendt eller udløbet state (ikke startet i denne browser)",
    "replay": "svaret er brugt før (state brugt)",
    "unavailable": "Entra ID kunne ikke nås",
    "token_exchange": "koden blev ikke godtaget af Entra ID",
    "malformed": "ID-tokenet kunne ikke læses",
    "signature": "ID-tokenets signatur passer ikke med Entra ID's nøgler",
    "issuer": "ID-tokenet er fra en anden udsteder",
    "audience": "ID-tokenet er til en anden klient",
    "expired": "ID-tokenet er udløbet eller ikke gyldigt endnu",
    "nonce": "ID-tokenets nonce passer ikke med log-in-forsøget",
    "claims": "ID-tokenet mangler tid eller oid",
    "tenant": "personen er fra en anden tenant",
    "no_role": "ingen af personens app-roller giver adgang",
    "user_inactive": "brugeren er spærret hos os",
    "password_off": "adgangskode-log-in er slået fra (Entra ID er sat op)",
    "bad_password": "forkert brugernavn eller adgangskode",
    "not_staff": "ikke medarbejder",
    "locked": "spærret efter for mange forsøg",
}


def _not_valid() -> str:
    return _("Svaret fra Microsoft Entra ID kunne ikke godkendes, så du er ikke logget på.")


class OidcRefused(Exception):
    """A staff login we will not act on: ``reason`` for the log, ``message`` for people."""

    def __init__(self, reason: str, message: str = "", detail: str = "") -> None:
        message = message or _not_valid()
        super().__init__(f"{reason}: {detail or message}")
        self.reason = reason
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class Authorization:
    """One started login: where to send the browser and what the callback must match."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class StaffClaims:
    """What a verified Entra ID token says about the member of staff."""

    tenant_id: str
    object_id: str
    name: str
    email: str
    username: str  # preferred_username, the UPN (shown, never a key)
    roles: tuple[str, ...]
    given_name: str = ""
    family_name: str = ""

    @property
    def key(self) -> str:
        """The stable key of the person (``ExternalIdentity.key``): tenant and object id."""
        return f"{self.tenant_id}:{self.object_id}"


# --- metadata ------------------------------------------------------------------------------

_cache_lock = threading.Lock()
_metadata: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks: dict[str, tuple[float, KeySet]] = {}


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcRefused(
            "unavailable",
            _("Microsoft Entra ID kunne ikke nås lige nu. Prøv igen om lidt."),
            f"{url[:200]}: {error}"[:400],
        ) from error
    if not isinstance(data, dict):
        raise OidcRefused("unavailable", detail=f"{url[:200]}: not a JSON object")
    return data


def discovery(provider: OidcProvider) -> dict[str, Any]:
    """The provider's discovery document (cached); its issuer must be the configured one."""
    now = time.monotonic()
    with _cache_lock:
        cached = _metadata.get(provider.issuer)
    if cached is not None and cached[0] > now:
        return cached[1]
    document = _get_json(f"{provider.issuer}/.well-known/openid-configuration")
    if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
        raise OidcRefused(
            "unavailable",
            _("Log-in med Microsoft Entra ID er ikke sat rigtigt op. Kontakt it-afdelingen."),
            f"discovery issuer {str(document.get('issuer'))[:200]!r}",
        )
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(name), str):
            raise OidcRefused("unavailable", detail=f"discovery without {name}")
    with _cache_lock:
        _metadata[provider.issuer] = (now + METADATA_TTL, document)
    return document


def _key_set(provider: OidcProvider, *, fresh: bool = False) -> KeySet:
    now = time.monotonic()
    with _cache_lock:
        cached = _jwks.get(provider.issuer)
    if cached is not None and cached[0] > now and not fresh:
        return cached[1]
    data = _get_json(str(discovery(provider)["jwks_uri"]))
    try:
        keys = KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcRefused("unavailable", detail=f"JWKS not usable: {error}"[:400]) from error
    with _cache_lock:
        _jwks[provider.issuer] = (now + METADATA_TTL, keys)
    return keys


def forget_metadata() -> None:
    """Drop the cached discovery documents and key sets (tests start a new provider)."""
    with _cache_lock:
        _metadata.clear()
        _jwks.clear()


# --- the flow ------------------------------------------------------------------------------


def _session(provider: OidcProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",  # noqa: S106  (a method's name)
        default_timeout=HTTP_TIMEOUT,
    )


def authorization_start(provider: OidcProvider, *, redirect_uri: str) -> Authorization:
    """A new authorization request: fresh state, nonce and PKCE verifier, and the URL."""
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43–128
    endpoint = str(discovery(provider)["authorization_endpoint"])
    with _session(provider, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            endpoint, state=state, code_verifier=verifier, nonce=nonce, response_mode="query"
        )
    return Authorization(url=url, state=state, nonce=nonce, code_verifier=verifier)


def code_exchange(
    provider: OidcProvider, *, code: str, redirect_uri: str, code_verifier: str
) -> str:
    """Exchange the authorization code (with the PKCE verifier) for the raw ID token."""
    endpoint = str(discovery(provider)["token_endpoint"])
    with _session(provider, redirect_uri) as client:
        try:
            token = client.fetch_token(
                endpoint, code=code, code_verifier=code_verifier, grant_type="authorization_code"
            )
        except requests.RequestException as error:
            raise OidcRefused(
                "unavailable",
                _("Microsoft Entra ID kunne ikke nås lige nu. Prøv igen om lidt."),
                f"token endpoint: {error}"[:400],
            ) from error
        except (AuthlibBaseError, ValueError) as error:
            raise OidcRefused("token_exchange", detail=f"token endpoint: {error}"[:400]) from error
    id_token = token.get("id_token") if isinstance(token, dict) else None
    if not isinstance(id_token, str) or not id_token:
        raise OidcRefused("token_exchange", detail="token response without id_token")
    return id_token


def id_token_verify(provider: OidcProvider, id_token: str, *, nonce: str) -> StaffClaims:
    """Verify the ID token's RS256 signature against the JWKS and its claims; the claims."""
    try:
        token = _decode(provider, id_token)
    except (BadSignatureError, UnsupportedAlgorithmError) as error:
        raise OidcRefused("signature", detail=str(error)[:400]) from error
    except OidcRefused:
        raise
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcRefused("malformed", detail=f"{type(error).__name__}: {error}"[:400]) from error
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
        tid={"essential": True},
        oid={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as error:
        raise OidcRefused("expired", detail=f"exp {claims.get('exp')!r}") from error
    except (InvalidClaimError, MissingClaimError) as error:
        claim = getattr(error, "claim", "")
        reason = {
            "iss": "issuer",
            "aud": "audience",
            "nonce": "nonce",
            "nbf": "expired",
            "iat": "expired",
            "exp": "expired",
        }.get(claim, "claims")
        shown = "" if claim == "nonce" else f" {str(claims.get(claim))[:200]!r}"
        raise OidcRefused(reason, detail=f"{claim}{shown}: {error}"[:400]) from error
    except JoseError as error:
        raise OidcRefused("claims", detail=str(error)[:400]) from error
    # Entra ID may put several audiences; then ours must be the authorized party.
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != provider.client_id:
        raise OidcRefused("audience", detail=f"azp {str(claims.get('azp'))[:100]!r}")
    roles = claims.get("roles") or []
    if not isinstance(roles, list):
        roles = []
    username = str(claims.get("preferred_username") or "")
    email = str(claims.get("email") or "") or (username if "@" in username else "")
    return StaffClaims(
        tenant_id=str(claims["tid"]).lower(),
        object_id=str(claims["oid"]).lower(),
        name=str(claims.get("name") or ""),
        email=email[:254],
        username=username[:254],
        roles=tuple(str(role) for role in roles if isinstance(role, str)),
        given_name=str(claims.get("given_name") or ""),
        family_name=str(claims.get("family_name") or ""),
    )


def _decode(provider: OidcProvider, id_token: str) -> jwt.Token:
    try:
        return jwt.decode(id_token, _key_set(provider), algorithms=ALGORITHMS)
    except InvalidKeyIdError:
        # Rolled keys: a key id the cached JWKS lacks gets one fresh fetch.
        logger.info("Entra ID token signed with an unknown key id; fetching the JWKS again")
    try:
        return jwt.decode(id_token, _key_set(provider, fresh=True), algorithms=ALGORITHMS)
    except InvalidKeyIdError as error:
        raise BadSignatureError(f"no key in the JWKS for the token: {error}") from error
