"""Documents on a case: a file from the business, checked for size and type by its content
(``case_add_document``), and a document the municipality made, such as an inspection report
(``case_add_generated_document``). Drafts and the decision store files through
``_check_upload`` and ``_store_document`` too.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import IllegalTransition, StorageUnavailable, ValidationFailed

from ..models import OPEN_STATUSES, Case, CaseStatus, Deliverable, Document
from ..selectors import case_queryset, case_requirements
from .core import _SYSTEM, _event, _lock, _require_access, _require_staff, _save
from .material import _after_material

logger = logging.getLogger(__name__)

ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.oasis.opendocument.text": "ODT",
}

# The endings a file of each accepted type may have; the first is the one its download name
# gets when the sender's name has another (``.html``, ``.svg``, ``.exe``) or none: the content
# decides the type, and no name may say otherwise when the file is saved on someone's machine.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/tiff": (".tif", ".tiff"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
}
NAME_MAX = 200


def _known_extension(extension: str) -> bool:
    mimetypes.init()
    return extension in mimetypes.types_map or extension in mimetypes.common_types


def _printable(name: str) -> str:
    """Without control and formatting characters (a NUL cannot be stored, a line break would
    split a header, a right-to-left override hides an ending), whitespace collapsed."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in name)
    return " ".join(name.split())


def original_name(raw: str) -> str:
    """What the sender called the file, kept as text only (escaped wherever it is shown),
    never used as a path."""
    return _printable(raw or "")[:NAME_MAX] or "dokument"


def download_name(name: str, content_type: str) -> str:
    """The name a document is offered under when it is downloaded: the last part of what the
    sender called it, with an ending that fits its content (``tegning.html`` holding a PDF is
    ``tegning.pdf``; ``tegning`` is ``tegning.pdf``)."""
    name = _printable(name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "dokument"
    allowed = EXTENSIONS.get(content_type)
    if allowed is None:
        return name
    stem, dot, extension = name.rpartition(".")
    extension = f".{extension.lower()}" if dot and stem else ""
    if extension not in allowed:
        if extension and _known_extension(extension):
            name = stem
        name = f"{name}{allowed[0]}"
    if len(name) > NAME_MAX:
        name = f"{name[: NAME_MAX - 8].rstrip(' .')}…{allowed[0]}"
    return name


def _stored_name(content_type: str) -> str:
    """The file's name on disk: nothing the sender chose, so no path, markup or ending of
    theirs reaches the file system or a URL."""
    return f"{uuid.uuid4().hex}{EXTENSIONS[content_type][0]}"


def _size(size: int) -> str:
    """A file size as a Dane writes it: 1,5 MB, 300 KB, 12 byte."""
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB".replace(".", ",").replace(",0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    """(content type judged from the bytes, not the name; sha256 of the whole file)."""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return (kind.mime if kind else "application/octet-stream"), digest.hexdigest()


@transaction.atomic
def case_add_document(
    *, case: Case, actor: User, upload: UploadedFile, requirement_key: str = ""
) -> Document:
    """Attach a file (checked for size and type by content), possibly meeting a requirement."""
    _require_access(case, actor)
    case = _lock(case)
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; der kan ikke tilføjes dokumenter."
        )
    checked = _check_upload(upload)
    requirements = case_requirements(case)
    key = _check_document_requirement(requirement_key, requirements)
    document = _store_document(case, actor, checked, upload, key, requirements)
    case = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    _save(case, *_after_material(case, actor, calendar=working_calendar()))
    return document


@dataclass(frozen=True)
class _CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def _check_upload(upload: UploadedFile) -> _CheckedUpload:
    """Size and type (by content, not by name) of an uploaded file, or ValidationFailed."""
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed.field("file", "Filen er tom.")
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise ValidationFailed.field(
            "file", f"Filen er for stor ({_size(size)}); den må højst fylde {_size(limit)}."
        )
    content_type, sha256 = _sniff(upload)
    if content_type not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationFailed.field(
            "file",
            "Filtypen kan ikke modtages; send PDF, billede (PNG, JPEG, TIFF), Word, Excel eller ODT.",
        )
    name = original_name(upload.name or "")
    return _CheckedUpload(name=name, content_type=content_type, size=size, sha256=sha256)


def _check_document_requirement(requirement_key: str, requirements: Mapping[str, Any]) -> str:
    key = (requirement_key or "").strip()
    if key:
        requirement = requirements.get(key)
        if requirement is None:
            raise ValidationFailed.field("requirement", f"Sagen har intet krav »{key}«.")
        if requirement.kind != "document":
            raise ValidationFailed.field(
                "requirement", f"»{requirement.label}« besvares med tekst, ikke et dokument."
            )
    return key


def _store_document(
    case: Case,
    actor: User | None,
    checked: _CheckedUpload,
    content: Any,
    key: str,
    requirements: Mapping[str, Any],
    *,
    deliverable: Deliverable | None = None,
) -> Document:
    """Save the file and its row, and write the timeline event."""
    document = Document(
        case=case,
        requirement_key=key,
        deliverable=deliverable,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    _save_file(document, checked, content)
    document.save()
    what = f" til »{requirements[key].label}«" if key else ""
    if deliverable is not None:
        what = f" til »{deliverable.title}«"
    from_business = actor is not None and not actor.is_staff
    _event(
        case,
        "document_added",
        actor,
        f"Dokument modtaget{what}: {checked.name} "
        f"({ALLOWED_DOCUMENT_TYPES[checked.content_type]}, {_size(checked.size)}).",
        business_text=gettext_noop("Vi har modtaget jeres dokument: %(name)s.")
        if from_business
        else gettext_noop("Kommunen har lagt et dokument på sagen: %(name)s."),
        business_args={"name": checked.name},
        document=document.pk,
        requirement=key,
    )
    return document


def _save_file(document: Document | Any, checked: _CheckedUpload, content: Any) -> None:
    """Write the file under its own name; a full or failing disk is a clear refusal (the
    caller's transaction then changes nothing), never a server error."""
    try:
        document.file.save(_stored_name(checked.content_type), content, save=False)
    except OSError as error:
        logger.error("Document storage failed: %s", error)
        raise StorageUnavailable(
            "Dokumentet kunne ikke gemmes lige nu, så intet er ændret. Prøv igen om lidt; "
            "sker det igen, så kontakt kommunen."
        ) from error


@transaction.atomic
def case_add_generated_document(
    *, case: Case, actor: User, name: str, content: bytes, content_type: str = "application/pdf"
) -> Document:
    """Store a document the municipality made (an inspection report) on the case.

    Staff only; the case must not be closed or withdrawn. The timeline says it was added.
    """
    _require_staff(actor, "tilføje dokumenter")
    case = _lock(case)
    if case.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; der kan ikke tilføjes dokumenter."
        )
    if content_type not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationFailed.field("file", "Filtypen kan ikke gemmes på sagen.")
    if not content:
        raise ValidationFailed.field("file", "Filen er tom.")
    checked = _CheckedUpload(
        name=original_name(name),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document = _store_document(case, actor, checked, ContentFile(content), "", {})
    _save(case)
    return document
