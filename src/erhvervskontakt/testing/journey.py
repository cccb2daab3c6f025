"""Steps a business owner takes in the portal, as browser actions (shared by the browser tests).

Every helper acts through what a person sees: labels, button names, links. The inquiry used
throughout is a two-matter one: an industrial building permit (asks matrikel, etageareal,
the drawings as a document, optionally ibrugtagning) and outdoor serving (asks areal,
optionally a sketch).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from erhvervskontakt.common.tests.files import pdf_bytes

PASSWORD = "Fynsk-Maskin-2026"
TWO_MATTERS = ["Byggetilladelse til industri og lager", "Udeservering"]
DESCRIPTION = "Ny lagerhal bag fabrikken og seks borde foran kantinen mod Vestergade."
ANSWERS = {"matrikel": "12a Odense Bygrænse", "etageareal": "850", "areal": "12"}


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Through the login form; a business user lands on "Mine sager"."""
    page.goto("/log-ind/")
    page.get_by_label("E-mailadresse", exact=True).fill(username)
    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.get_by_role("button", name="Log på", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine sager")


def start_inquiry(page: Any) -> None:
    page.goto("/henvendelse/ny/")
    page.get_by_role("button", name="Start ny henvendelse").click()
    expect(page).to_have_url(re.compile(r"/henvendelse/\d+/trin/1/$"))


def next_step(page: Any, number: int) -> None:
    """Press "Næste" and arrive at step ``number``."""
    page.get_by_role("button", name="Næste").click()
    expect(page).to_have_url(re.compile(rf"/henvendelse/\d+/trin/{number}/$"))


def choose_matters(
    page: Any, names: list[str] = TWO_MATTERS, description: str = DESCRIPTION
) -> None:
    """Step 1: tick the matters, describe the plan, go on to step 2."""
    for name in names:
        page.get_by_label(name, exact=True).check()
    page.get_by_label("Beskriv jeres planer").fill(description)
    next_step(page, 2)


def answer_questions(page: Any, answers: dict[str, str] = ANSWERS) -> None:
    """Step 2: fill the questions by their fields (``#krav-KEY``), go on to step 3."""
    for key, value in answers.items():
        page.locator(f"#krav-{key}").fill(value)
    next_step(page, 3)


def submit_on_review(page: Any) -> str:
    """Step 4: send; returns the case reference shown on the receipt."""
    page.get_by_role("button", name="Send henvendelsen").click()
    expect(page).to_have_url(re.compile(r"/sager/[^/]+/kvittering/$"))
    return page.locator(".receipt-reference").inner_text().strip()


def submit_two_matter_inquiry(page: Any) -> str:
    """Steps 1 to 4 with the drawings left out; returns the reference."""
    start_inquiry(page)
    choose_matters(page)
    answer_questions(page)
    next_step(page, 4)
    return submit_on_review(page)


def drawings_pdf(folder: Path) -> Path:
    """A real one-page PDF on disk, as a person would pick it in the file dialog."""
    path = folder / "tegninger-lagerhal.pdf"
    path.write_bytes(pdf_bytes())
    return path


def upload_missing_document(page: Any, key: str, path: Path) -> None:
    """On the case page: pick the file in the missing item's own form and send it."""
    form = page.locator("form.missing-item").filter(has=page.locator(f"#krav-{key}"))
    form.locator(f"#krav-{key}").set_input_files(str(path))
    form.get_by_role("button", name="Send dokument").click()
