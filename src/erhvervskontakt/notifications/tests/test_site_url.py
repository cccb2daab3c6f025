"""Where e-mails link to and whom they are from: ``SITE_URL`` when set, else the address the
server runs on (the request's own, or ``serve --bind``'s); one sender everywhere."""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.notifications.links import url_for_bind

from .conftest import cph

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("localhost:9000", "http://localhost:9000"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        (":8080", "http://127.0.0.1:8080"),
        ("[::]:8080", "http://[::1]:8080"),
        ("[::1]:8443", "http://[::1]:8443"),
        ("erhverv.example:80", "http://erhverv.example"),
        ("erhverv.example", "http://erhverv.example"),
        ("unix:/run/ek.sock", "http://localhost"),
    ],
)
def test_the_address_served_is_the_address_linked_to(bind, url):
    assert url_for_bind(bind) == url


@pytest.fixture
def received(building_case, karen, time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    return case_screen(case=case, actor=karen)


def test_without_site_url_the_worker_links_to_the_port_serve_listens_on(
    settings, building_case, smtp, deliver_all, time_machine
):
    settings.SITE_URL = ""
    settings.SITE_BIND = "127.0.0.1:8123"
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="receipt")
    assert f"http://127.0.0.1:8123/sager/{case.reference}/" in mail.links()
    assert not [link for link in mail.links() if ":8000" in link]


def test_without_site_url_a_request_links_to_where_it_came_from(
    settings, received, owner, smtp, deliver_all, client
):
    settings.SITE_URL = ""
    settings.SITE_BIND = "127.0.0.1:8000"
    deliver_all()
    client.force_login(owner)

    response = client.post(
        f"/sager/{received.reference}/besked/",
        {"body": "Hvornår hører vi fra jer?"},
        HTTP_HOST="localhost:8123",
    )
    assert response.status_code in (200, 302, 303)
    deliver_all()

    mail = smtp.one(to="karen@kommune.test", kind="business_message")
    assert f"http://localhost:8123/medarbejder/sager/{received.reference}/" in mail.links()


def test_a_set_site_url_wins(settings, building_case, smtp, deliver_all, time_machine):
    settings.SITE_URL = "https://erhverv.kommune.example/"
    settings.SITE_BIND = "127.0.0.1:8123"
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="receipt")
    assert f"https://erhverv.kommune.example/sager/{case.reference}/" in mail.links()


def test_the_sender_and_the_footer_name_one_address(
    settings, building_case, smtp, deliver_all, time_machine
):
    settings.DEFAULT_FROM_EMAIL = "Odense Erhvervskontakt <erhverv@odense.example>"
    Municipality.objects.filter(pk=1).update(
        name="Odense Kommune", email="post@andet-domaene.example", phone="65 51 10 00"
    )
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    building_case()
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="receipt")
    assert mail["From"] == "Odense Erhvervskontakt <erhverv@odense.example>"
    assert mail.envelope_from == "erhverv@odense.example"
    assert mail["Message-ID"].endswith("@odense.example>")
    assert mail.text.endswith(
        "-- \nOdense Kommune · Erhvervskontakt · erhverv@odense.example · 65 51 10 00\n"
    )
    assert 'href="mailto:erhverv@odense.example"' in mail.html
    assert "andet-domaene" not in mail.message.as_string()
