"""The wording of the e-mails: defaults in both languages, edited by administrators, safe."""

from __future__ import annotations

import datetime as dt
import importlib
import logging

import pytest
from django.apps import apps
from django.urls import reverse

from erhvervskontakt.notifications.defaults import DEFAULTS, VARIABLES
from erhvervskontakt.notifications.models import Kind, MessageTemplate
from erhvervskontakt.notifications.rendering import render_message

pytestmark = pytest.mark.django_db

CASE = {
    "reference": "EK-2026-00042",
    "business_name": "Smith & Søn <ApS>",
    "cvr": "12345674",
    "service_types": ["Udeservering"],
    "screening_due": dt.date(2026, 12, 4),
    "estimate": dt.date(2026, 12, 14),
    "url": "http://127.0.0.1:8000/sager/EK-2026-00042/",
}
ROW = {
    "reference": "EK-2026-00042",
    "business_name": "Smith & Søn",
    "date": dt.date(2026, 12, 4),
    "url": "http://127.0.0.1:8000/medarbejder/sager/EK-2026-00042/",
    "unassigned": True,
    "title": "Send: Tegninger",
    "party": "Virksomheden",
    "departments": ["Byggeri"],
}
CONTEXT = {
    "municipality": {"name": "Odense Kommune", "email": "", "phone": "65 51 10 00"},
    "recipient_name": "Eva Ejer",
    "case": CASE,
    "coordinator": {
        "name": "Karen Kofoed",
        "title": "Erhvervskonsulent",
        "email": "karen@kommune.test",
        "phone": "65 51 10 21",
    },
    "missing": ["Tegninger"],
    "estimate": dt.date(2026, 12, 14),
    "complete": False,
    "business_items": [{"title": "Send: Tegninger", "due": dt.date(2026, 12, 14)}],
    "municipality_items": [{"title": "Svar: Udeservering", "due": dt.date(2026, 12, 14)}],
    "deliverable": {"title": "Send: Tegninger", "due": dt.date(2026, 12, 14)},
    "author": "Karen Kofoed",
    "body": "Husk tegningen.",
    "old": dt.date(2026, 12, 14),
    "new": dt.date(2026, 12, 17),
    "paused_working_days": 3,
    "material_received_on": dt.date(2026, 12, 3),
    "summary": "Tilladelse givet.",
    "answered_on": dt.date(2026, 12, 10),
    "survey_url": "http://127.0.0.1:8000/tilfredshed/Xq3v9T0kQbW2mZ8rL5nY7cA1sD4fG6hJ0eU3iO9pK2w/",
    "day": dt.date(2026, 12, 7),
    "total": 4,
    "screenings_overdue": [ROW],
    "screenings_due": [ROW],
    "overdue_deliverables": [ROW],
    "estimates_at_risk": [ROW],
    "workbench_url": "http://127.0.0.1:8000/medarbejder/",
    "department": "Byggeri",
    "service_types": ["Udeservering"],
    "coordinator_name": "Karen Kofoed",
    "working_days_late": 1,
    "clock": "report",
    "due": dt.date(2027, 4, 1),
    "days": 10,
    "overdue": False,
    "visit": {
        "unit_name": "Værkstedet",
        "p_number": "1012345678",
        "visited_on": dt.date(2027, 2, 1),
        "kind": "Basistilsyn",
        "url": "http://127.0.0.1:8000/medarbejder/tilsyn/besoeg/7/",
    },
}


def test_every_kind_has_default_wording_in_danish_and_english():
    assert {kind for kind, _ in DEFAULTS} == set(Kind.values) == set(VARIABLES)
    assert {language for _, language in DEFAULTS} == {"da", "en"}
    assert len(DEFAULTS) == 2 * len(Kind.values)


@pytest.mark.parametrize(("kind", "language"), sorted(DEFAULTS))
def test_every_default_renders_a_subject_a_text_part_and_an_html_part(kind, language):
    MessageTemplate.objects.all().delete()

    rendered = render_message(kind, language, CONTEXT)

    assert rendered.subject and "\n" not in rendered.subject
    for part in (rendered.subject, rendered.text, rendered.html):
        assert "{{" not in part and "{%" not in part
    assert "EK-2026-00042" in rendered.text
    assert rendered.text.endswith("Odense Kommune · Erhvervskontakt · 65 51 10 00\n")
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in rendered.html
    assert "<ApS>" not in rendered.html  # escaped wherever the business name appears


def test_the_text_part_is_not_html_escaped_and_the_html_part_is():
    rendered = render_message("receipt", "da", CONTEXT)

    assert "for Smith & Søn <ApS>." in rendered.text
    assert "for Smith &amp; Søn &lt;ApS&gt;." in rendered.html


def test_danish_dates_are_written_the_danish_way_and_english_the_english_way():
    assert "senest 4. december 2026" in render_message("receipt", "da", CONTEXT).text
    assert "by 4 December 2026" in render_message("receipt", "en", CONTEXT).text


def test_the_migration_seeds_an_editable_template_for_every_kind_and_language():
    seed = importlib.import_module(
        "erhvervskontakt.notifications.migrations.0002_default_templates"
    )
    MessageTemplate.objects.all().delete()
    MessageTemplate.objects.create(
        kind="receipt", language="da", subject="Egen", text="x", html="x"
    )

    seed.seed(apps, None)

    assert MessageTemplate.objects.count() == len(DEFAULTS)
    assert MessageTemplate.objects.get(kind="receipt", language="da").subject == "Egen"


def test_the_administrators_wording_is_used():
    MessageTemplate.objects.update_or_create(
        kind="receipt",
        language="da",
        defaults={
            "subject": "Tak! Sag {{ case.reference }}",
            "text": "Hej {{ recipient_name }}, vi screener senest {{ case.screening_due|date:'j/n' }}.",
            "html": "<p>Hej {{ recipient_name }}</p>",
        },
    )

    rendered = render_message("receipt", "da", CONTEXT)

    assert rendered.subject == "Tak! Sag EK-2026-00042"
    assert rendered.text.startswith("Hej Eva Ejer, vi screener senest 4/12.")
    assert "<p>Hej Eva Ejer</p>" in rendered.html


def test_a_language_without_its_own_template_uses_the_danish_one():
    MessageTemplate.objects.filter(kind="receipt", language="en").delete()
    MessageTemplate.objects.update_or_create(
        kind="receipt", language="da", defaults={"subject": "Dansk", "text": "x", "html": "x"}
    )

    assert render_message("receipt", "en", CONTEXT).subject == "Dansk"


def test_a_template_that_no_longer_renders_falls_back_to_the_default(caplog):
    MessageTemplate.objects.update_or_create(
        kind="receipt",
        language="da",
        defaults={"subject": "{% if %}", "text": "x", "html": "x"},
    )

    with caplog.at_level(logging.ERROR):
        rendered = render_message("receipt", "da", CONTEXT)

    assert rendered.subject == "Vi har modtaget jeres henvendelse EK-2026-00042"
    assert "does not render" in caplog.text


def test_the_admin_refuses_a_template_that_does_not_compile(admin_client):
    row, _ = MessageTemplate.objects.update_or_create(
        kind="receipt", language="da", defaults={"subject": "s", "text": "t", "html": "h"}
    )
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])

    response = admin_client.post(
        url,
        {
            "kind": "receipt",
            "language": "da",
            "subject": "Sag {{ case.reference ",
            "text": "{% for x in %}",
            "html": "<p>ok</p>",
        },
    )

    assert response.status_code == 200
    assert "Skabelonen kan ikke læses" in response.content.decode()
    row.refresh_from_db()
    assert row.subject == "s"


def test_the_admin_saves_a_good_template_and_shows_what_it_may_use(admin_client):
    row, _ = MessageTemplate.objects.update_or_create(
        kind="receipt", language="da", defaults={"subject": "s", "text": "t", "html": "h"}
    )
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])
    assert "missing (list of what is missing)" in admin_client.get(url).content.decode()

    response = admin_client.post(
        url,
        {
            "kind": "receipt",
            "language": "da",
            "subject": "Sag {{ case.reference }}",
            "text": "t",
            "html": "<p>h</p>",
        },
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.subject == "Sag {{ case.reference }}"
