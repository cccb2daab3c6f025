"""Reading the rendered pages in tests: the error summary, titles, visible text."""

from __future__ import annotations

import html as htmllib
import re


def error_links(page: str) -> list[tuple[str, str]]:
    """(href, message) of each link in the DKFDS error summary."""
    summary = re.search(r'data-module="error-summary".*?</ul>', page, re.S)
    if summary is None:
        return []
    return [
        (href, htmllib.unescape(text).strip())
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', summary.group(0), re.S)
    ]


def title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found, "the page has no <title>"
    return htmllib.unescape(found.group(1)).strip()


def text(page: str) -> str:
    """The page's text without tags, entities decoded, whitespace collapsed."""
    stripped = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    stripped = re.sub(r"<[^>]+>", " ", stripped)
    return re.sub(r"\s+", " ", htmllib.unescape(stripped)).strip()
