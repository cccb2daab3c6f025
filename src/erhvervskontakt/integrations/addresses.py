"""Where a webhook may be sent: the rules that keep it from reaching inside the municipality.

An IT security officer's list: https only (plain http only to loopback, and only where
``WEBHOOKS_ALLOW_LOOPBACK`` is on: tests and development); no user name or password in the
address; never an address on a private, loopback, link-local, shared, multicast or reserved
network (the cloud's metadata service at 169.254.169.254, the database next door), unless
``WEBHOOKS_ALLOWED_NETWORKS`` names that network. The address is checked when a subscription
is saved (what can be said without DNS) and again at every delivery, after the name is
resolved: every address the name resolves to must be allowed, and the connection goes to
the address that was checked, so a name that changes its answer between the check and the
connection (DNS rebinding) cannot slip through. Redirects are never followed (``sending``).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAX_URL_LENGTH = 500

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL may not be used for a webhook; ``message`` says why, in Danish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """A checked webhook URL, taken apart."""

    scheme: str
    host: str  # as in the URL (IPv6 without brackets), lower case, IDNA-encoded
    port: int
    path: str  # path and query, as sent in the request line

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.path}"


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOKS_ALLOWED_NETWORKS]


def address_allowed(ip: IPAddress) -> bool:
    """A public address; loopback where ``WEBHOOKS_ALLOW_LOOPBACK`` is on; or one inside a
    network ``WEBHOOKS_ALLOWED_NETWORKS`` names (an internal system the municipality chose)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_loopback:
        return bool(settings.WEBHOOKS_ALLOW_LOOPBACK)
    if any(ip in network for network in _networks()):
        return True
    return ip.is_global and not ip.is_multicast


def _is_loopback_name(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


def parse_target(url: str) -> Target:
    """The URL taken apart if it may be a webhook's, else :class:`AddressRefused`.

    What can be checked without DNS: the scheme, no credentials, a host, a port, and a host
    that is an IP address (or ``localhost``) on an allowed network.
    """
    url = url.strip()
    if not url:
        raise AddressRefused("Angiv adressen (URL), som hændelserne skal sendes til.")
    if len(url) > MAX_URL_LENGTH:
        raise AddressRefused(f"Adressen må højst være {MAX_URL_LENGTH} tegn.")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise AddressRefused("Adressen må ikke indeholde mellemrum eller usynlige tegn.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise AddressRefused("Adressen skal begynde med https://.")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(
            "Adressen må ikke indeholde brugernavn eller adgangskode; signaturen "
            "(Erhvervskontakt-Signature) viser modtageren, at hændelsen kommer fra os."
        )
    if parts.fragment:
        raise AddressRefused("Adressen må ikke have en #-del.")
    raw_host = (parts.hostname or "").rstrip(".")
    if not raw_host:
        raise AddressRefused("Adressen mangler et værtsnavn.")
    try:
        port = parts.port
    except ValueError:
        raise AddressRefused("Adressens port er ugyldig.") from None
    try:
        host = raw_host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise AddressRefused("Adressens værtsnavn er ugyldigt.") from None
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    loopback = (literal is not None and literal.is_loopback) or _is_loopback_name(host)
    if loopback and not settings.WEBHOOKS_ALLOW_LOOPBACK:
        raise AddressRefused(
            "Adressen peger på denne maskine selv (loopback); det er ikke tilladt."
        )
    if literal is not None and not address_allowed(literal):
        raise AddressRefused(
            "Adressen peger på et internt eller reserveret netværk; webhooks sendes kun til "
            "offentlige adresser."
        )
    if scheme == "http" and not loopback:
        raise AddressRefused("Adressen skal begynde med https:// (http kun til loopback i test).")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80), path=path
    )


def resolve(target: Target) -> str:
    """The address to connect to: the host resolved, every answer allowed (else
    :class:`AddressRefused`); the first one. A name that does not resolve is an
    ``OSError``, a failed attempt like a refused connection."""
    infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise OSError(f"{target.host} has no address")
    refused = [a for a in addresses if not address_allowed(ipaddress.ip_address(a))]
    if refused:
        raise AddressRefused(
            f"Værtsnavnet {target.host} peger på en adresse, der ikke er tilladt "
            f"({', '.join(refused)}): kun offentlige adresser."
        )
    return addresses[0]
