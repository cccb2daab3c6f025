"""``manage.py saml_refresh_idp_metadata``: fetch NemLog-in's metadata again (from the URL in
SAML_IDP_METADATA, or re-read the file), check it, and use it from now on. Run it from cron
(daily) and when NemLog-in announces a certificate change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from erhvervskontakt.identity import config, saml


class Command(BaseCommand):
    help = "Fetch and check the identity provider's SAML metadata (SAML_IDP_METADATA)."

    def handle(self, *args: Any, **options: Any) -> None:
        provider = config.current().saml
        if provider is None:
            raise CommandError("SAML is not configured here (SAML_IDP_METADATA is empty).")
        self.stdout.write(f"Fetching {provider.idp_metadata} …")
        try:
            path = saml.refresh_idp_metadata(provider)
            idp = saml.idp_entity_id(provider)
        except (ImproperlyConfigured, OSError, ValueError) as error:
            raise CommandError(f"The metadata was not taken: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"IdP {idp}: metadata in {path}"))
