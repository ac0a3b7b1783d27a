from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from netnav.errors import BadInputError

T = TypeVar("T", bound=str)


class Frozen(BaseModel):
    """Base for immutable domain values."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def one_of(value: str, choices: tuple[T, ...], error: str) -> T:
    """`value` as the member of `choices` it equals; else `BadInputError(error)`, where `error` may name
    `{value}` (shown quoted) and `{choices}` (comma-separated)."""
    for choice in choices:
        if value == choice:
            return choice
    raise BadInputError(error.format(value=repr(value), choices=", ".join(choices)))
