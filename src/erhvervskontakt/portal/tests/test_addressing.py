"""One way of addressing the business everywhere it reads: »I/jer/jeres«, never »du/din/dit/
dine/dig« (the front page's form, so a receipt never mixes »jeres henvendelse« with »Du hører
fra os«). Scanned in the source, like the translation-coverage test: every Danish string the
portal, the public pages and the shared web templates mark for translation, the text the
templates show untranslated, the survey's questions and messages, and the e-mails to a
business. Staff-facing text (the workbench, the e-mails to staff) may say »du«."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.extract import extract
from django.utils.translation.template import templatize

from erhvervskontakt.notifications.defaults import DEFAULTS
from erhvervskontakt.notifications.models import STAFF_KINDS
from erhvervskontakt.surveys.defaults import DEFAULT_QUESTIONS

from .test_i18n import KEYWORDS

SRC = Path(__file__).resolve().parent.parent.parent
# What a business reads: the portal, the public pages (processing times, survey answers), the
# layout and error pages they share, and the survey's messages.
TEMPLATE_APPS = (SRC / "portal", SRC / "public", SRC / "web")
PYTHON = (SRC / "portal", SRC / "public", SRC / "web", SRC / "surveys")
SINGULAR_YOU = re.compile(r"\b(du|din|dit|dine|dig)\b", re.IGNORECASE)
# Said to a member of staff who logged in on the portal's login page, not to a business.
ALLOWED = {
    "Du er logget på som medarbejder. Medarbejdernes arbejdsbord kommer snart; "
    "indtil da arbejder du i administrationen.",
}
# Markup and template code, so that only the words a person reads remain.
_CODE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", re.DOTALL)


def _python_sources() -> list[tuple[Path, str]]:
    sources = []
    for app in TEMPLATE_APPS:
        for path in (app / "templates").rglob("*.html"):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            sources.append((path, "\n".join(line.lstrip() for line in code.splitlines())))
    for app in PYTHON:
        for path in app.rglob("*.py"):
            parts = path.relative_to(app).parts
            if "tests" not in parts and "migrations" not in parts:
                sources.append((path, path.read_text(encoding="utf-8")))
    return sources


def business_msgids() -> dict[str, str]:
    """Every Danish msgid a business may read, with the file it comes from."""
    found: dict[str, str] = {}
    for path, code in _python_sources():
        for _lineno, message, _comments, _context in extract(
            "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS
        ):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found[msgid] = str(path.relative_to(SRC))
    return found


def untranslated_template_text() -> dict[str, str]:
    """The words templates show outside translation tags (e.g. the 500 page), by file."""
    found: dict[str, str] = {}
    for app in TEMPLATE_APPS:
        for path in (app / "templates").rglob("*.html"):
            source = path.read_text(encoding="utf-8")
            source = re.sub(
                r"{%\s*(block)?translate\b.*?{%\s*end(block)?translate\s*%}|"
                r"{%\s*translate\b.*?%}",
                "",
                source,
                flags=re.DOTALL,
            )
            for line in _CODE.sub(" ", source).splitlines():
                if line.strip():
                    found[line.strip()] = str(path.relative_to(SRC))
    return found


def offending(texts: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(
        (where, text)
        for text, where in texts.items()
        if SINGULAR_YOU.search(text) and text not in ALLOWED
    )


def test_the_scan_finds_the_business_s_strings() -> None:
    msgids = business_msgids()

    assert len(msgids) > 300
    assert "Tak – vi har modtaget jeres henvendelse" in msgids  # the receipt
    assert any("Vi screener" in msgid for msgid in msgids)  # the shared footer
    assert SINGULAR_YOU.search("Du hører fra os") and not SINGULAR_YOU.search("dugfrisk, dinér")


def test_pages_for_businesses_say_i_and_jeres_never_du() -> None:
    assert offending(business_msgids()) == []
    assert offending(untranslated_template_text()) == []


def test_the_survey_questions_say_i_and_jeres() -> None:
    questions = {q["text_da"]: "surveys/defaults.py" for q in DEFAULT_QUESTIONS}

    assert offending(questions) == []


def test_e_mails_to_a_business_say_i_and_jeres() -> None:
    texts: dict[str, str] = {}
    for (kind, language), wording in DEFAULTS.items():
        if language != "da" or kind in STAFF_KINDS:
            continue
        for part in (wording.subject, wording.text, _CODE.sub(" ", wording.html)):
            for line in _CODE.sub(" ", part).splitlines():
                if line.strip():
                    texts[line.strip()] = kind

    assert len(set(texts.values())) >= 8
    assert offending(texts) == []
