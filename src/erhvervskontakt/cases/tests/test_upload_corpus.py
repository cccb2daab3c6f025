"""Uploads an attacker or a careless sender would try: path names, markup, control characters,
a file that is HTML and PDF at once, a type that lies about itself, and a full disk.

What must hold for every one: the file on disk gets a name of our own (nothing of the sender's
reaches the file system), the sender's name is kept only as text and escaped wherever it is
shown, the type is judged from the content against the allow-list, and every document is
served with ``nosniff``, a Content-Security-Policy without script, and a download name whose
ending fits the content. ``building_case`` (conftest.py) awaits its drawings.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from erhvervskontakt.cases.models import Document
from erhvervskontakt.cases.services.documents import case_add_document, download_name
from erhvervskontakt.common.errors import StorageUnavailable, ValidationFailed

from .conftest import upload

pytestmark = pytest.mark.django_db

STORED = re.compile(r"^cases/\d{4}/EK-\d{4}-\d{5}/[0-9a-f]{32}\.(pdf|png)$")

# (what the sender called it, the name kept as text, the name it is downloaded under); Django
# itself keeps only what follows the last "/" of an uploaded file's name.
NAMES = [
    ("../../../etc/passwd.pdf", "passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\win.ini.pdf", "..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
    ("C:\\Users\\Eva\\Tegning 1.pdf", "C:\\Users\\Eva\\Tegning 1.pdf", "Tegning 1.pdf"),
    # only what follows the last slash is offered
    ('<script>alert("x")</script>.pdf', "script>.pdf", "script>.pdf"),
    ('<b onmouseover="alert(1)">tegning</b>.pdf', "b>.pdf", "b>.pdf"),
    ('<img src=x onerror="alert(1)">.pdf', '<img src=x onerror="alert(1)">.pdf', None),
    (
        "tegning\r\nSet-Cookie: x=1.pdf",
        "tegning Set-Cookie: x=1.pdf",
        "tegning Set-Cookie: x=1.pdf",
    ),
    ("tegning\x00.pdf", "tegning .pdf", "tegning .pdf"),
    ("faktura\u202efdp.exe", "faktura fdp.exe", "faktura fdp.pdf"),
    ("tegning.html", "tegning.html", "tegning.pdf"),
    ("tegning", "tegning", "tegning.pdf"),
    ("tegning.v2", "tegning.v2", "tegning.v2.pdf"),
    ("...", "...", "dokument.pdf"),
]


@pytest.mark.parametrize(("sent", "kept", "offered"), NAMES)
def test_a_name_is_kept_as_text_and_never_reaches_the_file_system(
    building_case, owner, pdf_bytes, settings, sent, kept, offered
):
    document = case_add_document(case=building_case, actor=owner, upload=upload(sent, pdf_bytes))

    assert document.original_name == kept
    assert STORED.match(document.file.name), document.file.name
    assert download_name(document.original_name, document.content_type) == (offered or kept)
    media = Path(settings.MEDIA_ROOT).resolve()
    on_disk = [p for p in media.rglob("*") if p.is_file()]
    assert [p.name for p in on_disk] == [Path(document.file.name).name]
    assert all(media in p.resolve().parents for p in on_disk)


def test_a_very_long_name_is_shortened_and_keeps_its_ending(building_case, owner, pdf_bytes):
    document = case_add_document(
        case=building_case, actor=owner, upload=upload("a" * 1000 + ".html", pdf_bytes)
    )

    assert len(document.original_name) <= 200
    offered = download_name(document.original_name, document.content_type)
    assert len(offered) <= 200 and offered.endswith(".pdf")


POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def test_html_that_is_also_a_pdf_is_a_pdf_and_is_never_offered_as_html(building_case, owner, karen):
    document = case_add_document(
        case=building_case, actor=owner, upload=upload("rapport.html", POLYGLOT, "text/html")
    )

    assert document.content_type == "application/pdf"
    for url, client in _download_urls(building_case, document, owner, karen):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "script-src" not in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert "rapport.pdf" in response["Content-Disposition"]
        assert ".html" not in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "tegning.pdf"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "tegning.png",
        ),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "tegning.gif"),
        (b"#!/bin/sh\nrm -rf /\n", "tegning.pdf"),
    ],
)
def test_content_outside_the_allow_list_is_refused_whatever_it_is_called(
    building_case, owner, state_of, settings, content, name
):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        case_add_document(case=building_case, actor=owner, upload=upload(name, content))

    assert "Filtypen kan ikke modtages" in refused.value.errors["file"]
    assert state_of(building_case) == before
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_name_with_markup_is_escaped_on_the_pages_and_safe_in_the_header(
    building_case, owner, karen, pdf_bytes
):
    name = '"><img src=x onerror=alert(1)>\r\n.pdf'
    document = case_add_document(case=building_case, actor=owner, upload=upload(name, pdf_bytes))
    pages = [
        (reverse("portal:case_detail", args=[building_case.reference]), owner),
        (reverse("workbench:case", args=[building_case.reference]), karen),
    ]
    for url, user in pages:
        client = Client()
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<img src=x" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url
    for url, client in _download_urls(building_case, document, owner, karen):
        disposition = client.get(url)["Content-Disposition"]
        assert "\r" not in disposition and "\n" not in disposition
        assert disposition.startswith("inline;" if "vis=1" in url else "attachment;")


def _download_urls(case, document: Document, owner, karen):  # type: ignore[no-untyped-def]
    business, staff = Client(), Client()
    business.force_login(owner)
    staff.force_login(karen)
    return [
        (reverse("portal:case_document_download", args=[case.reference, document.pk]), business),
        (reverse("workbench:case_document", args=[case.reference, document.pk]), staff),
        (reverse("workbench:case_document", args=[case.reference, document.pk]) + "?vis=1", staff),
    ]


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def full_disk(settings, tmp_path):  # type: ignore[no-untyped-def]
    """MEDIA_ROOT on a 64 KB tmpfs filled to the brim (root may mount one; else skip)."""
    mount_bin, umount_bin = shutil.which("mount"), shutil.which("umount")
    if mount_bin is None or umount_bin is None:
        pytest.skip("mount/umount are not installed here")
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(  # noqa: S603 (fixed arguments, our own temporary directory)
        [mount_bin, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip()}")
    try:
        (mount / "cases").mkdir()
        try:
            with (mount / "filler").open("wb", buffering=0) as filler:
                while True:
                    filler.write(b"\0" * 4096)
        except OSError:
            pass  # full
        settings.MEDIA_ROOT = str(mount)
        yield mount
    finally:
        subprocess.run([umount_bin, "-l", str(mount)], check=False)  # noqa: S603


def test_a_full_disk_refuses_the_upload_clearly_and_changes_nothing(
    building_case, owner, pdf_bytes, state_of, full_disk
):
    before = state_of(building_case)

    with pytest.raises(StorageUnavailable) as refused:
        case_add_document(
            case=building_case,
            actor=owner,
            upload=upload("tegninger.pdf", pdf_bytes * 40),
            requirement_key="tegninger",
        )

    assert "intet er ændret" in refused.value.message
    assert refused.value.status_code == 503
    assert state_of(building_case) == before
    assert not Document.objects.filter(case=building_case).exists()


def test_a_full_disk_is_a_danish_message_in_the_portal_not_a_server_error(
    building_case, owner, pdf_bytes, state_of, full_disk
):
    before = state_of(building_case)
    client = Client(raise_request_exception=False)
    client.force_login(owner)

    response = client.post(
        reverse("portal:case_document", args=[building_case.reference]),
        {"requirement": "tegninger", "file": upload("tegninger.pdf", pdf_bytes * 40)},
        follow=True,
    )

    assert response.status_code in (200, 422, 503)
    assert "Dokumentet kunne ikke gemmes lige nu" in response.content.decode()
    assert state_of(building_case) == before


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_is_a_503_in_the_api_and_changes_nothing(
    http, karen, building_case, pdf_bytes, state_of, full_disk
):
    before = state_of(building_case)

    response = http(karen).post(
        f"/cases/{building_case.reference}/documents",
        files={"file": ("tegninger.pdf", pdf_bytes * 40, "application/pdf")},
        data={"requirement": "tegninger"},
    )

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "storage_unavailable"
    assert "intet er ændret" in body["detail"]
    assert state_of(building_case) == before
