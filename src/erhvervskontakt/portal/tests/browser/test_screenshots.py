"""Screenshots of the main pages at desktop and phone widths, for a reviewer to look at.

They go to ``var/screenshots/`` (not committed; ``make test`` leaves them behind) as
``PAGE-desktop.png`` (1280×900) and ``PAGE-mobile.png`` (390×844), full page. Besides the
files, each width is checked for the layout fault screenshots most often show: a page wider
than the screen, which makes a phone user scroll sideways.
"""

from __future__ import annotations

from typing import Any

import pytest

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.testing.browser import DESKTOP, MOBILE
from erhvervskontakt.testing.journey import (
    answer_questions,
    choose_matters,
    log_in,
    next_step,
    start_inquiry,
    submit_on_review,
)

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_main_pages_are_captured_at_desktop_and_phone_width_without_sideways_scrolling(
    page, screenshot, owner, owner_password, catalogue, karen
):
    written = []
    too_wide: dict[str, int] = {}

    def shoot(name: str) -> None:
        for width, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
            page.set_viewport_size(viewport)
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                too_wide[f"{name}-{width}"] = overflow
            path = screenshot(page, f"{name}-{width}")
            assert path.stat().st_size > 5_000, path
            written.append(path.name)
        page.set_viewport_size(DESKTOP)

    def go(path: str) -> Any:
        response = page.goto(path)
        assert response.status == 200, path

    go("/")
    shoot("front")
    go("/log-ind/")
    shoot("login")

    log_in(page, owner.username, owner_password)
    start_inquiry(page)
    shoot("step1")
    choose_matters(page)
    shoot("step2")
    answer_questions(page)
    shoot("step3")
    next_step(page, 4)
    shoot("step4")
    reference = submit_on_review(page)
    shoot("receipt")

    go(f"/sager/{reference}/")
    shoot("case-received")
    case_screen(case=Case.objects.get(reference=reference), actor=karen)
    go(f"/sager/{reference}/")
    shoot("case")
    go("/sager/")
    shoot("my-cases")

    assert len(written) == 20
    assert not too_wide, f"pages wider than the screen (px too wide): {too_wide}"
