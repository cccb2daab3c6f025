"""The Content-Security-Policy on every response.

django-csp writes the site's policy (``CONTENT_SECURITY_POLICY`` in settings: scripts, styles,
fonts and images from our own origin only, no inline script or style, never framed). A
response that already carries a policy keeps it: the document views set a stricter one
(``web/files.py``). A PDF made on the fly (the draft inspection report) gets the documents'
policy for a PDF shown in the browser, because the browser's own PDF viewer needs an
``object`` and inline style, which the page policy forbids.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .files import INLINE_POLICY

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the documents' policy for a PDF that has none."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if HEADER not in response and response.get("Content-Type", "").startswith(
            "application/pdf"
        ):
            response[HEADER] = INLINE_POLICY
        return super().process_response(request, response)
