"""The lookups of one business or person for an access request (indsigtsanmodning):

    python manage.py personal_data_lookups --cvr 12345678 [--with-staff] [--format csv|json]
    python manage.py personal_data_lookups --email eva@fynsk.dk

Dates, kinds of use and purposes; the staff's names only with ``--with-staff``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from erhvervskontakt.audit.export import lookups_csv, lookups_json
from erhvervskontakt.audit.selectors import (
    personal_data_lookups_of_business,
    personal_data_lookups_of_person,
)
from erhvervskontakt.common.errors import DomainError


class Command(BaseCommand):
    help = "Opslag i én virksomheds eller persons oplysninger (til en indsigtsanmodning)."

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--cvr", help="virksomhedens CVR-nummer")
        who.add_argument("--email", help="personens e-mailadresse")
        parser.add_argument("--with-staff", action="store_true", help="medtag medarbejdernes navne")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        with_staff = bool(options["with_staff"])
        try:
            if options["cvr"] is not None:
                lookups = personal_data_lookups_of_business(
                    cvr=options["cvr"], with_staff=with_staff
                )
            else:
                lookups = personal_data_lookups_of_person(
                    email=options["email"], with_staff=with_staff
                )
            render = lookups_json if options["format"] == "json" else lookups_csv
            self.stdout.write(render(lookups, with_staff=with_staff), ending="")
        except DomainError as error:
            raise CommandError(error.message) from error
