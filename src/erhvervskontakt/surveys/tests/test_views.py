"""The public survey page over HTTP: no login, the token is the key; 200 with the form, 303
to the thank-you page, 404 for an unknown link, 410 (politely) for a used or expired one,
422 with the errors for answers it cannot take — never a 500, in Danish and English."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils.translation.template import templatize

from erhvervskontakt.surveys import services
from erhvervskontakt.surveys.models import Answer, Invitation, Occasion
from erhvervskontakt.testing.html import error_links, text, title

from .conftest import cph, snapshot

pytestmark = pytest.mark.django_db

SURVEYS = Path(__file__).resolve().parent.parent
# The survey's pages: the answer page is public, the comments page the workbench's.
SURVEY_TEMPLATES = [
    SURVEYS.parent / "public" / "templates" / "public" / "surveys",
    SURVEYS.parent / "workbench" / "templates" / "workbench" / "surveys",
]
SURVEY_VIEWS = [
    SURVEYS.parent / "public" / "views" / "surveys.py",
    SURVEYS.parent / "workbench" / "views" / "survey_comments.py",
]
PO_FILE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def link(answered_case, time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(cph(2026, 12, 14, 10), tick=False)
    invitation, token = services.invitation_create(case=answered_case(), occasion=Occasion.ANSWER)
    return invitation, f"/tilfredshed/{token}/"


def test_the_link_shows_the_questions_without_a_login(client: Client, link):
    invitation, url = link
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert title(page).startswith("Tilfredshedsmåling")
    body = text(page)
    assert f"Tilfredshedsmåling om sag {invitation.case.reference}" in body
    assert (
        "Hvor tilfredse er I samlet set med kommunens service i denne sag? (skal besvares)" in body
    )
    assert "Fik I svar på eller før den dato, I fik oplyst? (frivilligt)" in body
    assert "1 – Meget utilfreds" in body and "5 – Meget tilfreds" in body
    assert "Linket kan bruges én gang, til og med 28. december 2026." in body
    assert '<legend class="form-label">' in page
    assert 'name="q-overall" value="5"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_the_page_is_in_english_after_the_switch(client: Client, link):
    _, url = link
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    body = text(client.get(url).content.decode())
    assert "How did you find our service?" in body
    assert (
        "Overall, how satisfied are you with the municipality's service on this matter? (required)"
        in body
    )
    assert "1 – Very dissatisfied" in body
    assert "The link can be used once, until 28 December 2026." in body


def test_answering_goes_to_the_thank_you_page_and_the_link_is_then_used(client: Client, link):
    invitation, url = link
    response = client.post(
        url, {"q-overall": "4", "q-knew_deliverables": "ja", "q-comments": "Godt samarbejde."}
    )

    assert response.status_code == 302
    assert response["Location"] == "/tilfredshed/tak/"
    assert "Tak for jeres svar" in text(client.get("/tilfredshed/tak/").content.decode())
    assert Answer.objects.filter(invitation=invitation).count() == 3

    again = client.get(url)
    assert again.status_code == 410
    assert "Tilfredshedsmålingen er allerede besvaret" in text(again.content.decode())
    posted_again = client.post(url, {"q-overall": "1"})
    assert posted_again.status_code == 410
    assert Answer.objects.filter(invitation=invitation).count() == 3


def test_an_expired_link_says_so_politely(client: Client, link, time_machine):
    _, url = link
    time_machine.move_to(cph(2026, 12, 29, 0, 0), tick=False)

    for response in (client.get(url), client.post(url, {"q-overall": "5"})):
        assert response.status_code == 410
        body = text(response.content.decode())
        assert "Linket er udløbet" in body
        assert "kunne bruges til og med 28. december 2026" in body
    assert not Answer.objects.exists()


def test_an_unknown_link_is_not_found(client: Client, link):
    _, url = link
    for bad in ("/tilfredshed/abc/", url[:-2] + "/", "/tilfredshed/" + "x" * 300 + "/"):
        assert client.get(bad).status_code == 404
        assert client.post(bad, {"q-overall": "5"}).status_code == 404


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        (
            {},
            [
                (
                    "#q-overall",
                    "Besvar venligst dette spørgsmål – det er det eneste, der skal besvares.",
                )
            ],
        ),
        ({"q-overall": "9"}, [("#q-overall", "Vælg et tal fra 1 til 5.")]),
        ({"q-overall": "<script>"}, [("#q-overall", "Vælg et tal fra 1 til 5.")]),
        (
            {"q-overall": "5", "q-answer_on_time": "kanske"},
            [("#q-answer_on_time", "Svar ja eller nej.")],
        ),
        (
            {"q-overall": "5", "q-comments": "x" * 2500},
            [("#q-comments", "Skriv højst 2000 tegn (I har skrevet 2500).")],
        ),
    ],
)
def test_answers_it_cannot_take_come_back_with_the_errors(client: Client, link, posted, expected):
    _, url = link
    before = snapshot()

    response = client.post(url, posted)

    assert response.status_code == 422
    page = response.content.decode()
    assert error_links(page) == expected
    assert 'aria-invalid="true"' in page
    assert snapshot() == before


def test_what_was_typed_is_kept_when_the_form_comes_back(client: Client, link):
    _, url = link
    response = client.post(
        url, {"q-overall": "", "q-contact_helpful": "4", "q-comments": "Tak & hej"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'name="q-contact_helpful" value="4" class="form-radio" checked' in page
    assert "Tak &amp; hej</textarea>" in page


def test_tampered_question_keys_are_refused_not_crashed(client: Client, link):
    _, url = link
    before = snapshot()
    response = client.post(
        url, {"q-overall": "5", "q-is_admin": "ja", "q-": "x", "other": "ignored"}
    )
    assert response.status_code == 422
    assert "Spørgsmålet findes ikke i denne måling." in text(response.content.decode())
    assert snapshot() == before


def test_other_methods_are_not_allowed(client: Client, link):
    _, url = link
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert Invitation.objects.get().responded_at is None


def test_every_danish_string_of_the_surveys_has_an_english_translation():
    sources = [
        "\n".join(
            line.lstrip()
            for line in templatize(path.read_text(encoding="utf-8"), origin=str(path)).splitlines()
        )
        for folder in SURVEY_TEMPLATES
        for path in folder.rglob("*.html")
    ] + [path.read_text(encoding="utf-8") for path in [*SURVEYS.glob("*.py"), *SURVEY_VIEWS]]
    msgids = set()
    for code in sources:
        for _lineno, message, _comments, _context in extract(
            "python", io.BytesIO(code.encode("utf-8")), keywords={"_": None, "gettext": None}
        ):
            msgids.add(message[0] if isinstance(message, tuple) else message)
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert len(msgids) > 40
    assert sorted(msgids - translated) == []


def test_a_nul_character_is_refused_as_on_every_page_and_nothing_is_stored(client: Client, link):
    """The one rule for NUL (common.middleware.RefuseNulCharactersMiddleware): refused with
    a Danish page before the form sees it, nothing changed."""
    _, url = link
    before = snapshot()

    response = client.post(url, {"q-overall": "5", "q-comments": "nul\x00byte"})

    assert response.status_code == 400
    assert "nul-tegn" in response.content.decode()
    assert snapshot() == before
