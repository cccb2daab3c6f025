from django.core.management.base import BaseCommand, CommandError

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user; the token is printed as the last line."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username: str, name: str, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        token, raw = api_token_create(user=user, name=name)
        self.stderr.write(f"Token {token.prefix}… created for {user.username}. It is shown once:")
        self.stdout.write(raw)
