"""Public pages show whole days, rounded as a Dane reads them: to the nearest, a half up."""

import pytest

from erhvervskontakt.public.views.processing_times import whole_days


@pytest.mark.parametrize(
    ("value", "shown"), [(18.5, 19), (18.49, 18), (18.6, 19), (0.5, 1), (1.0, 1), (2.5, 3)]
)
def test_whole_days_round_a_half_up(value, shown):
    assert whole_days(value) == shown
