from django.core.management.base import BaseCommand, CommandError

from erhvervskontakt.businesses.services import business_user_add
from erhvervskontakt.common.errors import DomainError


class Command(BaseCommand):
    help = "Give a person (by e-mail; the username is the e-mail) portal access to a CVR."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("cvr")
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="The person's full name.")
        parser.add_argument("--business-name", default="", help="Needed if the CVR is new.")
        parser.add_argument("--password", default="", help="Set a portal password too.")

    def handle(self, *args, cvr, email, name, business_name, password, **options):  # type: ignore[no-untyped-def]
        try:
            user = business_user_add(
                cvr=cvr, email=email, name=name, business_name=business_name, password=password
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{user.username} can act for CVR {cvr}.")
