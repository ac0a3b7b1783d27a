"""The trials section's "near a place" search, shared by the case pages: the same offline place look-up as
`netnav trials --near PLACE --within 200km`, with a bad place or distance shown as a message on the page
(the trials are then listed without distances) instead of an error page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netnav.api.state import AppState
from netnav.errors import BadInputError
from netnav.trials.render import empty_near_note, lists_no_sites
from netnav.types.case import CaseProfile
from netnav.types.trials import TrialMatch

MAX_PLACE_CHARS = 200
_OPTION = re.compile(r"^--(near|within)\s+")


@dataclass(frozen=True)
class NearbyTrials:
    """Matches for the page, plus the search as typed (to refill the form) and any message about it."""

    matches: list[TrialMatch]
    near: str = ""
    within: str = ""
    error: str | None = None
    searched: bool = field(default=False)
    note: str | None = None  # why a search near a place shows no trial (see empty_near_note)


def web_message(exc: BadInputError) -> str:
    """The CLI wording ("--near 'X': place not found ...") in page words ("Near 'X': place not found ...")."""
    text = str(exc)
    return _OPTION.sub(lambda m: f"{m.group(1).capitalize()} ", text).replace("--near PLACE", "a place")


def nearby_trials(
    state: AppState, case: CaseProfile, near: str | None, within: str | None, owner: str | None = None
) -> NearbyTrials:
    """Trials ranked for the case; with `near`, open sites nearest first with their distances in km.
    `owner` (owner_key of the session): that session's uploaded trial records count too."""
    place = (near or "").strip()[:MAX_PLACE_CHARS]
    radius = (within or "").strip()[:40]
    if not place and not radius:
        return NearbyTrials(state.trials(case, owner=owner))
    try:
        matches = state.trials(case, near=place or None, within=radius or None, owner=owner)
    except BadInputError as exc:
        return NearbyTrials(state.trials(case, owner=owner), place, radius, web_message(exc))
    if matches or not place:
        return NearbyTrials(matches, place, radius, None, searched=True)
    shown = state.trials(case, owner=owner)
    unbounded = state.trials(case, near=place, owner=owner) if radius else []
    note = empty_near_note(shown, unbounded, place, radius or None)
    if lists_no_sites(shown):  # nothing known about sites: the trials, without distances
        return NearbyTrials(
            shown, place, radius, None, note=f"{note} The trials are listed without distances."
        )
    return NearbyTrials(matches, place, radius, None, searched=True, note=note)
