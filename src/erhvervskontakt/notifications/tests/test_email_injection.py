"""Markup people type (a business name, a description, a message) never arrives as markup in
the HTML part of an e-mail: not in the default wording, not in the wording the migrations
seeded for administrators to edit, not in a wording an administrator tried to unescape, and
not in what the real worker hands to a real SMTP server."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.notifications.defaults import DEFAULTS
from erhvervskontakt.notifications.models import MessageTemplate, Notification
from erhvervskontakt.notifications.rendering import render_message

from .conftest import cph
from .test_templates import CONTEXT

PAYLOAD = '<img src=x onerror="alert(1)"><a href="https://evil.example">klik</a>'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def _poisoned(value: Any) -> Any:
    """Every string a person could have typed replaced by markup (dates and numbers kept)."""
    if isinstance(value, str):
        return f"{value} {PAYLOAD}"
    if isinstance(value, dict):
        return {key: _poisoned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_poisoned(item) for item in value]
    return value


POISONED = _poisoned(copy.deepcopy(CONTEXT))


def _assert_no_markup(html: str) -> None:
    assert "<img" not in html
    assert "evil.example" not in html.replace("https://evil.example&quot;", "")
    assert 'href="https://evil.example"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("wording", ["seeded", "default"])
@pytest.mark.parametrize(("kind", "language"), sorted(DEFAULTS))
def test_typed_markup_is_escaped_in_every_e_mail(kind, language, wording):
    if wording == "default":
        MessageTemplate.objects.all().delete()
    else:
        assert MessageTemplate.objects.filter(kind=kind).exists()

    rendered = render_message(kind, language, POISONED)

    _assert_no_markup(rendered.html)
    assert ESCAPED in rendered.html  # the text is there, as text
    assert "\n" not in rendered.subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    "html",
    [
        "<p>{{ case.business_name|safe }}</p>",
        "<p>{{ missing|safeseq|join:', ' }}</p>",
        "{% autoescape off %}<p>{{ body }}</p>{% endautoescape %}",
        "<p>{{ body | safe }}</p>",
    ],
)
def test_a_stored_wording_that_unescapes_is_not_used(html, caplog):
    MessageTemplate.objects.update_or_create(
        kind="business_message",
        language="da",
        defaults={"subject": "Besked", "text": "{{ body }}", "html": html},
    )

    rendered = render_message("business_message", "da", POISONED)

    _assert_no_markup(rendered.html)
    assert "does not render" in caplog.text  # fell back to the default wording, logged


@pytest.mark.django_db
def test_the_admin_refuses_a_wording_that_unescapes(admin_client):
    row, _ = MessageTemplate.objects.update_or_create(
        kind="receipt", language="da", defaults={"subject": "s", "text": "t", "html": "h"}
    )
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])

    response = admin_client.post(
        url,
        {
            "kind": "receipt",
            "language": "da",
            "subject": "Sag {{ case.reference }}",
            "text": "t",
            "html": "<p>{{ case.business_name|safe }}</p>",
        },
    )

    assert response.status_code == 200
    assert "er ikke tilladt" in response.content.decode()
    row.refresh_from_db()
    assert row.html == "h"


@pytest.mark.django_db(transaction=True)
def test_what_the_worker_sends_carries_typed_markup_as_text(
    smtp, deliver_all, submit, business, karen, time_machine
):
    business.name = f"Fynsk {PAYLOAD}"
    business.save(update_fields=["name"])
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(
        description=f"Vi vil servere ude {PAYLOAD}",
        contact={"name": f"Eva {PAYLOAD}", "email": "ejer@fynsk.dk", "phone": ""},
    )
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    case_message_post(case=case, actor=karen, body=f"Husk tegningen {PAYLOAD}")
    time_machine.move_to(cph(2026, 11, 30, 9) + dt.timedelta(minutes=5), tick=False)

    deliver_all()

    assert smtp.received, "the worker sent nothing"
    for mail in smtp.received:
        _assert_no_markup(mail.html)
    assert any(ESCAPED in mail.html for mail in smtp.received)


@pytest.mark.django_db(transaction=True)
def test_the_admin_shows_a_sent_e_mail_in_a_sandbox_with_its_markup_escaped(
    admin_client, submit, business, time_machine
):
    business.name = f"Fynsk {PAYLOAD}"
    business.save(update_fields=["name"])
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit()
    row = Notification.objects.filter(case=case).first()
    assert row is not None

    response = admin_client.get(reverse("admin:notifications_notification_change", args=[row.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<iframe sandbox=""' in page
    assert "<img src=x" not in page  # twice escaped: as the frame's srcdoc, then as text
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "'unsafe-inline'" in policy["style-src"]  # the e-mail's inline styles
    assert "'unsafe-inline'" not in policy["script-src"]
