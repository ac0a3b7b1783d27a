"""Who an answer or assessment speaks to: patients/caregivers (plain words) or clinicians (precise)."""

from __future__ import annotations

from typing import Literal

from netnav.types.base import one_of

Audience = Literal["patient", "clinician"]
AUDIENCES: tuple[Audience, ...] = ("patient", "clinician")


def parse_audience(value: str) -> Audience:
    """`value` as an Audience; raises `BadInputError` naming the accepted values."""
    return one_of(value, AUDIENCES, "audience must be one of {choices}, not {value}")
