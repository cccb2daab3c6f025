"""How well promises hold, with honest uncertainty: the exact binomial band a hit rate must lie
in for the promise to be what it says, the Clopper–Pearson (exact) and Wilson intervals of an
observed hit rate. Exact binomial sums with ``math`` (n is hundreds, not millions), pinned
against scipy and statsmodels in the tests."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Z95 = 1.959963984540054  # the standard normal's 97.5 % quantile


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0:
        return 1.0
    if p >= 1:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * log_p
        + (n - i) * log_q
        for i in range(k + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def binomial_quantile(q: float, n: int, p: float) -> int:
    """The smallest k with P(X <= k) >= q (scipy's ``binom.ppf``).

    By bisection over k (the CDF only grows with k): O(n log n), so the weekly bands of a
    national year (thousands of promises a week) take milliseconds, not minutes."""
    low, high = 0, n  # binomial_cdf(n, n, p) is 1 >= q
    while low < high:
        mid = (low + high) // 2
        if binomial_cdf(mid, n, p) >= q:
            high = mid
        else:
            low = mid + 1
    return low


@dataclass(frozen=True)
class Band:
    low: float  # as shares of n
    high: float
    kept_low: int  # as counts
    kept_high: int

    def holds(self, kept: int) -> bool:
        return self.kept_low <= kept <= self.kept_high


def acceptance_band(n: int, p: float = 0.9, level: float = 0.95) -> Band:
    """Where the number kept of ``n`` promises lies with probability ``level`` if each holds
    with probability ``p``: the exact binomial band (2.5 % and 97.5 % quantiles)."""
    if n <= 0:
        return Band(0.0, 1.0, 0, 0)
    tail = (1 - level) / 2
    low, high = binomial_quantile(tail, n, p), binomial_quantile(1 - tail, n, p)
    return Band(low / n, high / n, low, high)


def _bisect(f: Callable[[float], float], target: float, increasing: bool) -> float:
    """The p in [0, 1] where the monotone ``f`` crosses ``target``."""
    lo, hi = 0.0, 1.0
    for _ in range(80):
        mid = (lo + hi) / 2
        value = f(mid)
        if (value < target) == increasing:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(kept: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval of a hit rate ``kept``/``n``."""
    if n <= 0:
        return (0.0, 1.0)
    alpha = 1 - level
    low = 0.0 if kept == 0 else _bisect(lambda p: 1 - binomial_cdf(kept - 1, n, p), alpha / 2, True)
    high = 1.0 if kept == n else _bisect(lambda p: binomial_cdf(kept, n, p), alpha / 2, False)
    return (low, high)


def wilson(kept: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``kept``/``n`` (95 % by default)."""
    if n <= 0:
        return (0.0, 1.0)
    share = kept / n
    centre = share + z * z / (2 * n)
    spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return (max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale))
