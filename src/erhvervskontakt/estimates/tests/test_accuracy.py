"""The accuracy figures' intervals, pinned against scipy and statsmodels on random inputs."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from erhvervskontakt.estimates.accuracy import (
    acceptance_band,
    binomial_cdf,
    binomial_quantile,
    clopper_pearson,
    wilson,
)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 400), data=st.data())
def test_binomial_sums_and_quantiles_equal_scipy(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    p = data.draw(st.floats(0.01, 0.99))
    q = data.draw(st.floats(0.001, 0.999))
    assert binomial_cdf(k, n, p) == pytest.approx(stats.binom.cdf(k, n, p), abs=1e-9)
    expected = int(stats.binom.ppf(q, n, p))
    # A q that equals a cumulative probability to rounding is a tie either answer may take.
    assume(all(abs(stats.binom.cdf(j, n, p) - q) > 1e-9 for j in (expected - 1, expected)))
    assert binomial_quantile(q, n, p) == expected


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 400), data=st.data())
def test_the_intervals_equal_statsmodels(n: int, data: st.DataObject) -> None:
    kept = data.draw(st.integers(0, n))
    assert clopper_pearson(kept, n) == pytest.approx(
        proportion_confint(kept, n, alpha=0.05, method="beta"), abs=1e-7
    )
    assert wilson(kept, n) == pytest.approx(
        proportion_confint(kept, n, alpha=0.05, method="wilson"), abs=1e-9
    )


def test_the_band_around_nine_in_ten() -> None:
    band = acceptance_band(100)
    assert (band.kept_low, band.kept_high) == (84, 95)
    assert band.holds(90) and band.holds(84) and not band.holds(83) and not band.holds(96)
    assert acceptance_band(0).holds(0)


@pytest.mark.parametrize("n", [4_000, 12_000])
def test_the_band_at_national_volume_equals_scipy(n: int) -> None:
    """The weekly bands of a national year have thousands of promises each."""
    band = acceptance_band(n)
    assert (band.kept_low, band.kept_high) == (
        int(stats.binom.ppf(0.025, n, 0.9)),
        int(stats.binom.ppf(0.975, n, 0.9)),
    )
