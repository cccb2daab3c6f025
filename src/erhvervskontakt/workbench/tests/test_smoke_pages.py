"""Every workbench page renders for a coordinator (a first, broad check)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_a_coordinator(
    client_for, karen, lars, bodil, make_case, building_case, business
):
    received = make_case()
    screened = building_case(screen=True)
    client = client_for(karen)
    for url in [
        "/medarbejder/screening/",
        f"/medarbejder/screening/{received.reference}/",
        "/medarbejder/ny-henvendelse/",
        "/medarbejder/mine-sager/",
        "/medarbejder/mine-sager/?vis=all&sorter=received",
        "/medarbejder/soeg/?q=borde",
        f"/medarbejder/soeg/?q={business.cvr}",
        f"/medarbejder/sager/{screened.reference}/",
        f"/medarbejder/sager/{received.reference}/",
        f"/medarbejder/virksomheder/{business.cvr}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client_for(bodil).get("/medarbejder/afdeling/")
    assert response.status_code == 200
    assert screened.reference in response.content.decode()
