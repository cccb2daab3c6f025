"""Lets e-mails recorded while a request is answered link to the site it came from."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .links import current_request


class SiteOriginMiddleware:
    """Remember the request being answered (``links.site_url`` reads its origin when
    ``SITE_URL`` is not set)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
