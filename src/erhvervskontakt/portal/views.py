"""Business-facing pages: parse the request, call one service or selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def front_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/front_placeholder.html")
