"""Serving a document stored on a case, the same way on every page that lets someone have it."""

from __future__ import annotations

from django.http import FileResponse, Http404

from erhvervskontakt.cases.models import Document


def document_response(
    document: Document, *, as_attachment: bool, content_type: str | None = None
) -> FileResponse:
    """The stored file under its original name (as a download, or shown in the browser), in
    ``content_type`` or the type recorded when it was stored; 404 when the file is gone."""
    try:
        handle = document.file.open("rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=document.original_name,
        content_type=content_type or document.content_type,
    )
