"""Danish first, English on request: the switch, the catalogue's English names, dates in
the page's language, and an English translation for every Danish string the portal shows."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation.template import templatize

from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.testing.html import text
from erhvervskontakt.web.templatetags.pages import long_date, weekday_date

PORTAL = Path(__file__).resolve().parent.parent
# The portal and what its pages share with the public pages (layout, labels, template tags),
# and the services that write the business's case history (``gettext_noop`` lines).
APPS = (PORTAL, PORTAL.parent / "web")
HISTORY = (PORTAL.parent / "cases" / "services", PORTAL.parent / "inspections" / "services")
PO_FILE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def portal_msgids() -> set[str]:
    """Every string the portal's templates and Python code mark for translation."""
    found: set[str] = set()
    sources: list[tuple[Path, str]] = []
    for app in APPS:
        for path in (app / "templates").rglob("*.html"):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            # templatize keeps the template's indentation, which is not Python's
            sources.append((path, "\n".join(line.lstrip() for line in code.splitlines())))
        for path in app.rglob("*.py"):
            if "tests" not in path.relative_to(app).parts:
                sources.append((path, path.read_text(encoding="utf-8")))
    for folder in HISTORY:
        for path in folder.rglob("*.py"):
            sources.append((path, path.read_text(encoding="utf-8")))
    for _, code in sources:
        for _lineno, message, _comments, _context in extract(
            "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_danish_string_of_the_portal_has_an_english_translation() -> None:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }

    msgids = portal_msgids()

    assert len(msgids) > 250
    assert sorted(msgids - translated) == []


@pytest.mark.django_db
def test_switching_to_english_renders_the_page_in_english(
    client: Client, catalogue: dict[str, ServiceType]
) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get(response["Location"]).content.decode()

    assert '<html lang="en"' in html
    assert "One entrance to the municipality for businesses" in html
    assert "Answer within 30 working days" in html
    assert "Skip to content" in html
    assert 'lang="da"' in html and ">Dansk<" in html  # the way back, in its own language


@pytest.mark.django_db
def test_the_catalogue_s_english_names_are_used_on_english_pages(
    client: Client, catalogue: dict[str, ServiceType]
) -> None:
    ServiceType.objects.filter(code="udeservering").update(name_en="Outdoor serving")
    Requirement.objects.filter(key="areal").update(label_en="Area in m²")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    english = text(client.get("/").content.decode())
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    danish = text(client.get("/").content.decode())

    assert "Outdoor serving" in english and "Area in m²" in english
    assert "Udeservering" in danish and "Outdoor serving" not in danish


@pytest.mark.django_db
def test_a_business_page_renders_in_english_after_the_switch(owner_client: Client) -> None:
    owner_client.post("/i18n/setlang/", {"language": "en", "next": "/sager/"})

    html = text(owner_client.get("/sager/").content.decode())

    assert "My cases" in html and "You have no open cases." in html
    assert "Log out" in html


def test_dates_are_written_with_weekday_and_month_in_the_page_s_language() -> None:
    day = dt.date(2026, 12, 3)

    with translation.override("da"):
        assert weekday_date(day) == "torsdag den 3. december 2026"
        assert long_date(day) == "3. december 2026"
    with translation.override("en"):
        assert weekday_date(day) == "Thursday 3 December 2026"
        assert long_date(day) == "3 December 2026"
