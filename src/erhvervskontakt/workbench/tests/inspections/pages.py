"""What the inspection staff pages' tests share: a client (logged in as ``user``) and a
visit's page."""

from __future__ import annotations

from django.test import Client

from erhvervskontakt.inspections.models import Visit


def client(user=None) -> Client:  # type: ignore[no-untyped-def]
    made = Client()
    if user is not None:
        made.force_login(user)
    return made


def page(visit: Visit) -> str:
    return f"/medarbejder/tilsyn/besoeg/{visit.pk}/"
