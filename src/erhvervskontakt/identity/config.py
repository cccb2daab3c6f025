"""All identity configuration behind one small interface.

``current()`` answers, for the municipality a request is served for, how businesses and staff
log in: the SAML service provider towards NemLog-in (entity id, keys, the IdP's metadata, the
level of assurance and privilege required) and the OpenID Connect client towards the
municipality's Entra ID (issuer, tenant, client, role mapping). Today one installation serves
one municipality and the answer comes from the settings, which come from the environment
(``settings.py``; secrets from ``*_FILE``). An installation serving several municipalities
replaces this one function (by host, say) and no login code changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# NSIS levels of assurance, lowest first (OIOSAML 3: https://data.gov.dk/concept/core/nsis/loa).
LEVELS_OF_ASSURANCE = ("Low", "Substantial", "High")
LOA_URI_PREFIX = "https://data.gov.dk/concept/core/nsis/loa/"
PROFESSIONAL_CONTEXT = "https://data.gov.dk/eid/Professional"


@dataclass(frozen=True)
class SamlProvider:
    """Our SAML service provider towards NemLog-in (or, in the demo, the local test IdP)."""

    entity_id: str
    key_file: Path
    cert_file: Path
    encryption_key_file: Path
    encryption_cert_file: Path
    # A file path or an http(s) URL; the metadata of the one IdP the portal trusts.
    idp_metadata: str
    required_loa: str = "Substantial"
    required_privilege: str = ""
    # True for the demo's local test IdP (nothing configured and DEBUG on).
    local_test_idp: bool = False

    @property
    def required_loa_uri(self) -> str:
        return LOA_URI_PREFIX + self.required_loa

    def loa_is_enough(self, level: str) -> bool:
        """Whether ``level`` (Low/Substantial/High or its URI) meets the required level."""
        name = level.removeprefix(LOA_URI_PREFIX)
        if name not in LEVELS_OF_ASSURANCE:
            return False
        return LEVELS_OF_ASSURANCE.index(name) >= LEVELS_OF_ASSURANCE.index(self.required_loa)


@dataclass(frozen=True)
class OidcProvider:
    """Our OpenID Connect client towards the municipality's Entra ID tenant."""

    issuer: str
    client_id: str
    client_secret: str
    # The tenant (``tid``) every ID token must carry; read from the issuer
    # (https://login.microsoftonline.com/<tenant>/v2.0) unless given.
    tenant_id: str
    # App role (the ``roles`` claim) → our role; the administrator's mapping in the database
    # comes on top of this (``identity.services.staff_login``).
    role_map: dict[str, str] = field(default_factory=dict)
    # Usernames that may still log in with a password when OIDC is on (break-glass).
    break_glass: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    saml: SamlProvider | None
    oidc: OidcProvider | None
    # Local passwords for business users: only where explicitly enabled (off in production).
    business_passwords: bool


def current() -> Identity:
    """The identity configuration in force (for this installation's one municipality)."""
    return Identity(
        saml=_saml(),
        oidc=_oidc(),
        business_passwords=bool(getattr(settings, "PORTAL_PASSWORD_LOGIN", False)),
    )


def _saml() -> SamlProvider | None:
    metadata = getattr(settings, "SAML_IDP_METADATA", "") or ""
    local = False
    if not metadata:
        if not (settings.DEBUG and getattr(settings, "SAML_LOCAL_TEST_IDP", True)):
            return None
        local = True
        metadata = str(local_idp_dir() / "idp-metadata.xml")
    loa = getattr(settings, "SAML_REQUIRED_LOA", "") or "Substantial"
    if loa not in LEVELS_OF_ASSURANCE:
        raise ImproperlyConfigured(
            f"SAML_REQUIRED_LOA must be one of {', '.join(LEVELS_OF_ASSURANCE)}, not {loa!r}."
        )
    entity_id = getattr(settings, "SAML_SP_ENTITY_ID", "") or ""
    key = getattr(settings, "SAML_SP_KEY_FILE", "") or ""
    cert = getattr(settings, "SAML_SP_CERT_FILE", "") or ""
    if local:
        keys = local_sp_dir()
        entity_id = entity_id or f"{_site_url()}/saml2/metadata/"
        key = key or str(keys / "sp.key")
        cert = cert or str(keys / "sp.crt")
    if not (entity_id and key and cert):
        raise ImproperlyConfigured(
            "With SAML_IDP_METADATA set, SAML_SP_ENTITY_ID, SAML_SP_KEY_FILE and "
            "SAML_SP_CERT_FILE must be set too."
        )
    return SamlProvider(
        entity_id=entity_id,
        key_file=Path(key),
        cert_file=Path(cert),
        encryption_key_file=Path(getattr(settings, "SAML_SP_ENCRYPTION_KEY_FILE", "") or key),
        encryption_cert_file=Path(getattr(settings, "SAML_SP_ENCRYPTION_CERT_FILE", "") or cert),
        idp_metadata=metadata,
        required_loa=loa,
        required_privilege=getattr(settings, "SAML_REQUIRED_PRIVILEGE", "") or "",
        local_test_idp=local,
    )


_TENANT_IN_ISSUER = re.compile(r"^/([0-9a-fA-F-]{36}|[A-Za-z0-9.-]+)/v2\.0/?$")


def _oidc() -> OidcProvider | None:
    issuer = (getattr(settings, "OIDC_ISSUER", "") or "").rstrip("/")
    if not issuer:
        return None
    client_id = getattr(settings, "OIDC_CLIENT_ID", "") or ""
    secret = getattr(settings, "OIDC_CLIENT_SECRET", "") or ""
    if not client_id:
        raise ImproperlyConfigured("With OIDC_ISSUER set, OIDC_CLIENT_ID must be set too.")
    tenant = getattr(settings, "OIDC_TENANT_ID", "") or ""
    if not tenant:
        match = _TENANT_IN_ISSUER.match(urlsplit(issuer).path)
        if match is None:
            raise ImproperlyConfigured(
                "OIDC_TENANT_ID is needed when OIDC_ISSUER does not end in /<tenant>/v2.0."
            )
        tenant = match.group(1)
    raw_map = getattr(settings, "OIDC_ROLE_MAP", "") or "{}"
    try:
        role_map = json.loads(raw_map) if isinstance(raw_map, str) else dict(raw_map)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"OIDC_ROLE_MAP is not JSON: {error}") from error
    if not isinstance(role_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in role_map.items()
    ):
        raise ImproperlyConfigured('OIDC_ROLE_MAP must be a JSON object {"app role": "role"}.')
    return OidcProvider(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        tenant_id=tenant,
        role_map=role_map,
        break_glass=tuple(getattr(settings, "OIDC_BREAK_GLASS_USERS", ()) or ()),
    )


def _site_url() -> str:
    return (getattr(settings, "SITE_URL", "") or f"http://{settings.SITE_BIND}").rstrip("/")


def local_idp_dir() -> Path:
    """Where the demo's local test IdP keeps its keys and metadata (never in production)."""
    return Path(settings.BASE_DIR) / "var" / "saml" / "idp"


def local_sp_dir() -> Path:
    """Where the demo's service provider keys are generated when none are configured."""
    return Path(settings.BASE_DIR) / "var" / "saml" / "sp"
