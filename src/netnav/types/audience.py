"""Who an answer or assessment speaks to: patients/caregivers (plain words) or clinicians (precise)."""

from __future__ import annotations

from typing import Literal

from netnav.errors import BadInputError

Audience = Literal["patient", "clinician"]
AUDIENCES: tuple[Audience, ...] = ("patient", "clinician")


def parse_audience(value: str) -> Audience:
    """`value` as an Audience; raises `BadInputError` naming the accepted values."""
    for known in AUDIENCES:
        if value == known:
            return known
    raise BadInputError(f"audience must be one of {', '.join(AUDIENCES)}, not {value!r}")
