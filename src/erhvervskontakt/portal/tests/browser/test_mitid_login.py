"""MitID Erhverv in the real browser: the portal's button, the local test IdP's page (as
NemLog-in's), and back in the portal logged in, with the case list of that CVR."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from erhvervskontakt.demo.saml_idp import serve_in_thread
from erhvervskontakt.identity.models import LoginEvent
from erhvervskontakt.testing.saml import employee, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_log_in_with_mitid_erhverv_and_see_the_cvrs_cases(
    page: Any,
    live_server: Any,
    settings: Any,
    tmp_path: Any,
    make_case: Any,
    business: Any,
    other_business: Any,
) -> None:
    mine = make_case(screen=True)
    theirs = make_case(for_business=other_business)
    settings.SITE_URL = live_server.url
    host = live_server.url.split("//", 1)[1].split(":")[0]  # same site as the portal
    port = _free_port()
    world = make_world(tmp_path, settings, idp_base=f"http://{host}:{port}")
    person = employee(business.cvr, name="Mette Madsen", org_name=business.name)
    world.idp.people = [employee(other_business.cvr, name="Anden Person"), person]
    server = serve_in_thread(world.idp, "127.0.0.1" if host == "localhost" else host, port)
    try:
        page.goto(f"{live_server.url}/sager/")
        started = time.perf_counter()
        page.get_by_role("link", name="Log på med MitID Erhverv").click()
        page.get_by_role("button", name="Mette Madsen").click()
        page.get_by_role("button", name="Fortsæt til Erhvervskontakt").click()
        page.get_by_role("heading", name="Mine sager").wait_for()
        seconds = time.perf_counter() - started
    finally:
        server.shutdown()

    assert page.url == f"{live_server.url}/sager/"
    body = page.locator("main").inner_text()
    assert mine.reference in body
    assert theirs.reference not in body
    assert "I er logget på med MitID Erhverv" in page.content()
    assert LoginEvent.objects.filter(kind="login", cvr=business.cvr).count() == 1
    print(f"\none MitID Erhverv login in Chromium (click to case list): {seconds * 1000:.0f} ms")
