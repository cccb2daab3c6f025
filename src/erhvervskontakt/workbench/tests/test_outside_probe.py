"""Holes an outside probe found (issue 15): formula cells in CSV exports, and page numbers
too large for the database."""

from __future__ import annotations

import csv
import io

import pytest

from erhvervskontakt.businesses.models import Business

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://angriber.example","Klik")'


def test_a_csv_export_never_carries_a_formula_someone_typed(client_for, karen, make_case):
    case = make_case(screen=True)
    Business.objects.filter(pk=case.business_id).update(name=FORMULA)
    response = client_for(karen).get(
        "/medarbejder/maal/sager/", {"tal": "backlog.open", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "x", "1e9"])
def test_a_huge_or_odd_page_number_is_a_page_not_a_server_error(client_for, owner, page):
    response = client_for(owner).get("/sager/", {"side": page})
    assert response.status_code == 200
