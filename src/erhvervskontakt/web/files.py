"""Serving a document stored on a case, the same way on every page that lets someone have it:
under a name whose ending fits its content, with headers that stop a browser from running anything of the file's
(``nosniff``, a Content-Security-Policy without script, sandboxed when shown in the browser)."""

from __future__ import annotations

from django.http import FileResponse, Http404

from erhvervskontakt.cases.models import Document
from erhvervskontakt.cases.services.documents import download_name

# What a browser shows itself without running anything of the file's: the stored type is
# the one judged from the content at upload (an allow-list), never the name.
SHOWN_INLINE = frozenset({"application/pdf", "image/png", "image/jpeg"})

# A download may load nothing at all.
ATTACHMENT_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
# An opened document may not run script, load anything from elsewhere or be framed by another
# site (the browser's own PDF viewer needs the inline style and the object).
INLINE_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; "
    "frame-ancestors 'self'"
)


def document_response(
    document: Document,
    *,
    as_attachment: bool,
    content_type: str | None = None,
    public: bool = False,
) -> FileResponse:
    """The stored file under its name, as a download or (only for the types in
    ``SHOWN_INLINE``) shown in the browser, in ``content_type`` or the type judged at upload;
    404 when the file is gone. ``public`` documents (a published inspection report) may be
    cached; every other document is private to the person who may see it."""
    content_type = content_type or document.content_type
    inline = not as_attachment and content_type in SHOWN_INLINE
    try:
        handle = document.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name(document.original_name, document.content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_POLICY if inline else ATTACHMENT_POLICY
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
