"""The front page and the pages about the self-service (accessibility, privacy)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import service_type_list
from erhvervskontakt.web import labels
from erhvervskontakt.web.pages import render_page


def catalogue_groups() -> list[tuple[str, list[ServiceType]]]:
    """The active catalogue by need, in the order of the needs; needs without services left out."""
    catalogue = list(service_type_list())
    groups = [
        (str(label), [st for st in catalogue if st.group == group])
        for group, label in labels.GROUPS.items()
    ]
    return [(label, sts) for label, sts in groups if sts]


@require_GET
def front_page(request: HttpRequest) -> HttpResponse:
    """What the municipality offers businesses: the promise and the catalogue by need."""
    return render_page(request, "portal/front.html", {"groups": catalogue_groups()})


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render_page(request, "portal/pages/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render_page(request, "portal/pages/privacy.html")
