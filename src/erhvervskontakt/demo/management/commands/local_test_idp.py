"""``manage.py local_test_idp``: the demo's stand-in for NemLog-in (``manage.py serve`` starts
it beside the server when nothing else is configured). Never for production."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from erhvervskontakt.demo.saml_idp import (
    demo_people,
    local_base_url,
    prepare_local,
    serve_in_thread,
)


class Command(BaseCommand):
    help = (
        "Serve the demo's local test IdP (OIOSAML 3, like NemLog-in) on SAML_LOCAL_TEST_IDP_PORT."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            idp = prepare_local()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        idp.people = demo_people()
        base = local_base_url()
        host, port = base.removeprefix("http://").split(":")
        server = serve_in_thread(idp, host, int(port))
        self.stdout.write(
            f"Local test IdP (like NemLog-in) on {base}/ with {len(idp.people)} people; "
            f"metadata {base}/metadata"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
