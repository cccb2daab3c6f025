import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from erhvervskontakt.accounts.models import DEFAULT_API_SCOPES, ApiScope, User
from erhvervskontakt.accounts.services import api_token_create
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed


class Command(BaseCommand):
    help = "Create an API token for a user; the token is printed as the last line."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            metavar="SCOPE",
            help=(
                f"What the token may do: {', '.join(ApiScope.values)} (read: every GET; "
                "intake: inquiries and the business's answers and documents; write: every "
                "other change of a case or business; admin: webhook subscriptions). Repeat it "
                "or give a comma list. Default: " + ",".join(DEFAULT_API_SCOPES) + "."
            ),
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until the token expires (default: the API_TOKEN_DAYS setting, 365).",
        )
        parser.add_argument(
            "--rate-per-minute",
            type=int,
            default=None,
            help=(
                "Requests a minute this token may send (default: the "
                "API_TOKEN_RATE_PER_MINUTE setting, 600); e.g. higher for a benchmark."
            ),
        )

    def handle(  # type: ignore[no-untyped-def]
        self,
        *args,
        username: str,
        name: str,
        scopes: list[str] | None,
        days: int | None,
        rate_per_minute: int | None,
        **options,
    ):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = clock.now() + dt.timedelta(days=days) if days is not None else None
        try:
            token, raw = api_token_create(
                user=user,
                name=name,
                scopes=scopes,
                expires_at=expires_at,
                rate_per_minute=rate_per_minute,
            )
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"Token {token.prefix}… created for {user.username} with scopes "
            f"{','.join(token.scopes)}, expiring {token.expires_at:%Y-%m-%d}. It is shown once:"
        )
        self.stdout.write(raw)
