"""The structural accessibility check of a page (the browser tests run axe-core on top):
each control has a label, ids are unique, headings do not skip a level, one h1 per page."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

SKIPPED_INPUTS = {"hidden", "submit", "button"}


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, str]] = []
        self.headings: list[int] = []
        self.described: list[str] = []
        self.in_drawer = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea") and (
            attributes.get("type", "text") not in SKIPPED_INPUTS
        ):
            self.controls.append((attributes.get("id", ""), attributes.get("name", "")))
        if "aria-describedby" in attributes:
            self.described.extend(attributes["aria-describedby"].split())
        if "mobile-drawer" in attributes.get("class", ""):
            self.in_drawer = 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self.in_drawer:
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.in_drawer:
            self.in_drawer = 0  # the drawer's headings come before its navigation


def check(html: str) -> Structure:
    page = Structure()
    page.feed(html)
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    unlabelled = [c for c in page.controls if c[0] not in page.label_for]
    assert not unlabelled, f"controls without a label: {unlabelled}"
    missing_targets = [d for d in page.described if d not in page.ids]
    assert not missing_targets, f"aria-describedby points nowhere: {missing_targets}"
    assert page.headings.count(1) == 1, f"h1 count: {page.headings}"
    main = page.headings[page.headings.index(1) :]
    for before, after in itertools.pairwise(main):
        assert after <= before + 1, f"heading skips a level: {page.headings}"
    return page
