"""CVR numbers: checked by python-stdnum (8 digits, modulus 11), not by hand."""

from __future__ import annotations

from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from erhvervskontakt.common.errors import ValidationFailed


def normalise_cvr(value: object, *, field: str = "cvr") -> str:
    """The 8-digit CVR number, accepting spaces and a ``DK`` prefix; refuses anything else."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValidationFailed.field(field, "CVR-nummeret skal være en tekst med 8 cifre.")
    try:
        return str(stdnum_cvr.validate(str(value)))
    except InvalidLength:
        message = "CVR-nummeret skal have 8 cifre."
    except InvalidChecksum:
        message = "CVR-nummeret findes ikke (kontrolcifferet passer ikke)."
    except (InvalidFormat, ValidationError):
        message = "CVR-nummeret må kun bestå af 8 cifre (mellemrum og DK foran er tilladt)."
    raise ValidationFailed.field(field, message)


_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def synthetic_cvr(seed: int) -> str:
    """A valid (modulus-11) CVR number made from ``seed``, for demo and test data.

    Seeds map to distinct numbers in the 1xxxxxxx–8xxxxxxx range; a seed whose check digit
    would be 10 moves on to the next base, so the result is always valid.
    """
    base = 1_000_000 + (seed * 7919) % 8_000_000
    while True:
        digits = [int(c) for c in f"{base:07d}"]
        remainder = sum(w * d for w, d in zip(_WEIGHTS, digits, strict=False)) % 11
        check = (11 - remainder) % 11
        if check < 10:
            return f"{base:07d}{check}"
        base += 1
