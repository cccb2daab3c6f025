"""Public pages: the front page with the promise and the catalogue by need, the
accessibility statement and the privacy page; layout essentials on every page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from erhvervskontakt.catalogue.models import Municipality, ServiceType

pytestmark = pytest.mark.django_db


def titles(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1).strip()


def test_the_front_page_groups_the_catalogue_by_need_with_department_and_answer_time(
    client: Client, catalogue: dict[str, ServiceType]
) -> None:
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    # the needs that have service types, in the order of the five needs
    assert html.index("Byg og ombyg") < html.index("Miljø") < html.index("Vej og udeareal")
    assert html.index("Vej og udeareal") < html.index("Rådgivning")
    assert "Byggetilladelse til industri og lager" in html
    assert "Byggeri" in html and "Vej og Park" in html
    assert "Svar inden for 30 arbejdsdage" in html
    assert "Nationalt servicemål: afgørelse inden for 50 dage" in html
    # the requirements, documents marked
    assert "Matrikelnummer" in html and "Tegninger" in html
    assert 'Tegninger <span class="badge badge-info">dokument</span>' in html


def test_the_front_page_states_the_promise_with_the_municipality_s_screening_days(
    client: Client, catalogue: dict[str, ServiceType]
) -> None:
    Municipality.objects.filter(pk=1).update(name="Fynsby Kommune", screening_working_days=4)

    html = client.get("/").content.decode()

    assert "inden for 4 arbejdsdage" in html
    assert "Én fast kontaktperson" in html
    assert "En svardato og en leveranceplan" in html
    assert "Fynsby Kommune" in titles(html)
    assert 'href="/henvendelse/ny/"' in html


def test_every_page_has_a_skip_link_a_danish_lang_and_the_footer_links(client: Client) -> None:
    for path in ("/", "/tilgaengelighed/", "/privatliv/", "/log-ind/"):
        html = client.get(path).content.decode()
        assert '<html lang="da"' in html, path
        assert 'class="skipnav" href="#main-content"' in html, path
        assert 'id="main-content"' in html, path
        assert 'href="/tilgaengelighed/">Tilgængelighedserklæring</a>' in html, path
        assert 'href="/privatliv/">Privatlivspolitik</a>' in html, path
        assert 'action="/i18n/setlang/"' in html, path
        assert "dkfds-virkdk.min.css" in html and "dkfds.min.js" in html, path


def test_pages_have_distinct_titles(client: Client, catalogue: dict[str, ServiceType]) -> None:
    seen = {
        titles(client.get(path).content.decode())
        for path in ("/", "/tilgaengelighed/", "/privatliv/", "/log-ind/")
    }

    assert len(seen) == 4


def test_the_accessibility_statement_names_the_standard_and_the_complaint_body(
    client: Client,
) -> None:
    html = client.get("/tilgaengelighed/").content.decode()

    assert "<h1>Tilgængelighedserklæring</h1>" in html
    assert "WCAG 2.1" in html and "Digitaliseringsstyrelsen" in html
    assert "Kendte problemer" in html


def test_the_privacy_page_says_what_why_how_long_and_the_rights(client: Client) -> None:
    html = client.get("/privatliv/").content.decode()

    for heading in (
        "Hvilke oplysninger vi behandler",
        "Hvorfor vi behandler oplysningerne",
        "Hvor længe vi gemmer oplysningerne",
        "Jeres rettigheder",
    ):
        assert heading in html
    assert "Datatilsynet" in html


def test_an_unknown_page_answers_404_in_the_portal_layout(client: Client, settings) -> None:
    settings.DEBUG = False

    response = client.get("/findes-ikke/")

    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_the_front_page_runs_the_same_queries_however_big_the_catalogue(
    client: Client, catalogue: dict[str, ServiceType]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from erhvervskontakt.catalogue.models import Requirement

    with CaptureQueriesContext(connection) as small:
        client.get("/")
    department = catalogue["udeservering"].department
    for number in range(10):
        extra = ServiceType.objects.create(
            code=f"ekstra-{number}",
            name=f"Ekstra ydelse {number}",
            group=ServiceType.Group.START,
            department=department,
            target_working_days=10,
        )
        Requirement.objects.create(service_type=extra, key="adresse", label="Adresse")
    with CaptureQueriesContext(connection) as big:
        html = client.get("/").content.decode()

    assert "Ekstra ydelse 9" in html
    assert len(big) == len(small)
