"""Where a webhook may go (no SSRF): https to public addresses; loopback only when allowed;
private networks only when named; checked again after DNS at every delivery."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from erhvervskontakt.integrations.addresses import AddressRefused, parse_target, resolve


@pytest.fixture
def strict(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    settings.WEBHOOKS_ALLOWED_NETWORKS = []


@pytest.mark.parametrize(
    "url",
    [
        "http://fagsystem.example/hook",  # plain http outside loopback
        "ftp://fagsystem.example/hook",
        "fagsystem.example/hook",
        "https://user:pass@fagsystem.example/hook",
        "https://fagsystem.example/hook#del",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://172.16.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "https://100.64.0.1/hook",  # shared address space
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://[fd00::1]/hook",
        "https://fagsystem.example:99999/hook",
        "https:///hook",
        "https://fagsystem.example/ hook",
        "",
    ],
)
def test_addresses_an_it_security_officer_refuses(strict, url):
    with pytest.raises(AddressRefused) as refused:
        parse_target(url)

    assert refused.value.message


def test_a_public_https_address_is_accepted_and_taken_apart(strict):
    target = parse_target("https://Fagsystem.Example:8443/ek/hook?kilde=erhverv")

    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "fagsystem.example",
        8443,
        "/ek/hook?kilde=erhverv",
    )
    assert target.url == "https://fagsystem.example:8443/ek/hook?kilde=erhverv"


def test_loopback_over_http_only_where_the_setting_allows_it(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True

    assert parse_target("http://127.0.0.1:8123/hook").url == "http://127.0.0.1:8123/hook"
    with pytest.raises(AddressRefused):
        parse_target("http://fagsystem.example/hook")  # still https outside loopback


def test_a_private_network_the_municipality_named_is_allowed(strict, settings):
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    assert parse_target("https://10.20.3.4/hook").host == "10.20.3.4"
    with pytest.raises(AddressRefused):
        parse_target("https://10.21.3.4/hook")


def _resolving_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    def fake(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_name_that_resolves_to_an_internal_address_is_refused_at_delivery(strict, monkeypatch):
    target = parse_target("https://fagsystem.example/hook")  # fine without DNS
    _resolving_to(monkeypatch, "10.0.0.7")

    with pytest.raises(AddressRefused) as refused:
        resolve(target)

    assert "10.0.0.7" in refused.value.message


def test_a_name_with_one_internal_answer_among_public_ones_is_refused(strict, monkeypatch):
    _resolving_to(monkeypatch, "93.184.216.34", "127.0.0.1")

    with pytest.raises(AddressRefused):
        resolve(parse_target("https://fagsystem.example/hook"))


def test_the_connection_goes_to_the_checked_public_address(strict, monkeypatch):
    _resolving_to(monkeypatch, "93.184.216.34")

    assert resolve(parse_target("https://fagsystem.example/hook")) == "93.184.216.34"
