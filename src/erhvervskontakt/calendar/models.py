from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

RECURRING_YEAR = 2000  # a leap year, so every month and day exists


class ClosingDay(models.Model):
    """A day the municipality is closed (lukkedag), beside weekends and public holidays.

    A recurring closing day repeats every year on its month and day (5 June, 24 and
    31 December); a one-off closing day is that date only.
    """

    date = models.DateField(help_text="For a recurring day only the month and day count.")
    recurring = models.BooleanField(default=False)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "lukkedag"
        verbose_name_plural = "lukkedage"
        constraints = [
            models.UniqueConstraint(fields=["date", "recurring"], name="closing_day_unique"),
        ]

    def __str__(self) -> str:
        if self.recurring:
            return f"{self.name} ({self.date:%d.%m.}, hvert år)"
        return f"{self.name} ({self.date:%d.%m.%Y})"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._normalise()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.recurring and self.date and (self.date.month, self.date.day) == (2, 29):
            raise ValidationError({"date": "En årlig lukkedag kan ikke ligge den 29. februar."})
        self._normalise()

    def _normalise(self) -> None:
        # A recurring day is stored in year 2000, so "24 December" is one row whatever year
        # was typed, and the unique constraint catches a second one.
        if self.recurring and self.date and self.date.year != RECURRING_YEAR:
            self.date = self.date.replace(year=RECURRING_YEAR)

    @property
    def month_day(self) -> tuple[int, int]:
        return (self.date.month, self.date.day)

    def applies_to(self, day: dt.date) -> bool:
        return self.month_day == (day.month, day.day) if self.recurring else self.date == day
