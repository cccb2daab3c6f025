"""Turn a kind, a language and plain values into a subject, a text part and an HTML part.

Templates come from ``MessageTemplate`` rows (edited by administrators) and fall back to the
defaults in ``defaults.py`` when a row is missing or no longer renders (a broken edit is
logged, and the message still goes out in the default wording). They are rendered with
Django's template engine from strings, with plain values only: dates, strings and lists of
dicts, never model objects.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .defaults import DEFAULTS, Wording
from .models import MessageTemplate

logger = logging.getLogger(__name__)

_ENGINE = Engine(debug=False, libraries={}, builtins=[])


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def default_wording(kind: str, language: str) -> Wording:
    return DEFAULTS.get((kind, language)) or DEFAULTS[(kind, "da")]


def stored_wording(kind: str, language: str) -> Wording | None:
    row = (
        MessageTemplate.objects.filter(kind=kind, language=language).first()
        or MessageTemplate.objects.filter(kind=kind, language="da").first()
    )
    return Wording(row.subject, row.text, row.html) if row else None


# What would let a value people typed (a business name, a message) into the HTML part as
# markup: the HTML part is always autoescaped, and no wording may turn that off.
_UNESCAPING = re.compile(r"\|\s*(safe|safeseq)\b|{%\s*autoescape\s+off\b")


def unescaping_html(html: str) -> str | None:
    """Why the HTML wording would send typed text unescaped (a ``safe`` filter,
    ``autoescape off``), or None."""
    found = _UNESCAPING.search(html)
    if found is None:
        return None
    return (
        f"»{found.group(0).strip()}« er ikke tilladt: det, virksomheder og medarbejdere "
        "skriver, skal altid vises som tekst i e-mailen, aldrig som HTML."
    )


def check_wording(subject: str, text: str, html: str) -> dict[str, str]:
    """What is wrong with a wording by field (for the admin form): template syntax errors, and
    an HTML part that turns escaping off; empty when all three may be used."""
    errors = {}
    for field, source in (("subject", subject), ("text", text), ("html", html)):
        try:
            _ENGINE.from_string(source)
        except TemplateSyntaxError as error:
            errors[field] = f"Skabelonen kan ikke læses: {error}"
    unsafe = unescaping_html(html)
    if unsafe and "html" not in errors:
        errors["html"] = unsafe
    return errors


def _tidy_text(text: str) -> str:
    """Template tags leave stray blank lines and trailing spaces in the text part."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _render(wording: Wording, context: dict[str, Any], language: str) -> Rendered:
    unsafe = unescaping_html(wording.html)
    if unsafe:  # stored before the admin refused it, or written past the admin
        raise ValueError(unsafe)
    with translation.override(language):
        raw_subject = _ENGINE.from_string(wording.subject).render(
            Context(context, autoescape=False)
        )
        # One line, and a plain str: render() returns a SafeString, which the layout's
        # <title> would then not escape.
        subject = " ".join(raw_subject.split())[:300]
        text = _ENGINE.from_string(wording.text).render(Context(context, autoescape=False))
        body = _ENGINE.from_string(wording.html).render(Context(context, autoescape=True))
        html = render_to_string(
            "notifications/email/layout.html",
            {
                "body": mark_safe(body),  # noqa: S308 (rendered with autoescape just above)
                "subject": subject,
                "language": language,
                "municipality": context.get("municipality", {}),
            },
        )
        footer = render_to_string(
            "notifications/email/footer.txt", {"municipality": context.get("municipality", {})}
        )
    return Rendered(
        subject=subject,
        text=_tidy_text(text) + "\n" + footer.strip() + "\n",
        html=html,
    )


def render_message(kind: str, language: str, context: dict[str, Any]) -> Rendered:
    """The message in the administrators' wording, or the default if theirs fails."""
    wording = stored_wording(kind, language)
    if wording is not None:
        try:
            return _render(wording, context, language)
        except Exception:
            logger.exception(
                "The %s template (%s) does not render; using the default", kind, language
            )
    return _render(default_wording(kind, language), context, language)
