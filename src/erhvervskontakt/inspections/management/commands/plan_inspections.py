"""``python manage.py plan_inspections 2027``: compute and store the year's inspection plan.

Safe to run again: the inspectors' adjustments and items already done are kept; the rest of
the proposal is recomputed from the register (``services.plan_propose``).
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.inspections.models import PlanItem
from erhvervskontakt.inspections.services.planning import plan_propose


class Command(BaseCommand):
    help = "Compute and store the environmental inspection plan for YEAR (keeps adjustments)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):  # type: ignore[no-untyped-def]
        try:
            result = plan_propose(year=year, progress=lambda text: self.stdout.write(text))
        except DomainError as error:
            raise CommandError(error.message) from error
        active = Counter(
            (category, kind)
            for category, kind in result.plan.items.exclude(
                status=PlanItem.Status.CANCELLED
            ).values_list("category", "kind")
        )
        for (category, kind), count in sorted(active.items()):
            self.stdout.write(f"  kategori {category:<2} {kind:<12} {count:>4}")
        self.stdout.write(
            self.style.SUCCESS(f"Tilsynsplan {year}: {sum(active.values())} planlagte tilsyn.")
        )
