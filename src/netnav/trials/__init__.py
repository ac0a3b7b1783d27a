"""Clinical-trial registry and criterion-by-criterion matching.

Public API:
- `parse_ctgov_bytes(data, source)` / `looks_like_ctgov(data)`: read ClinicalTrials.gov v2 JSON or
  classic XML.
- `TrialRegistry(home)`: built-in entries + ingested records (`add`, `all`, `snapshot`).
- `match_trials(case, trials=None, status="recruiting")`: ranked `TrialMatch` list.
- `top_matches(case, n, registry)`: the best non-ineligible open matches (for the `ask` trial section).
- `one_line(match)` / `render_matches(...)`: plain-text rendering.
"""

from __future__ import annotations

from netnav.trials.ctgov import looks_like_ctgov, parse_ctgov_bytes
from netnav.trials.match import match_trials
from netnav.trials.registry import TrialRegistry
from netnav.trials.render import one_line, render_matches
from netnav.types.case import CaseProfile
from netnav.types.trials import TrialMatch

__all__ = [
    "TrialRegistry",
    "looks_like_ctgov",
    "match_trials",
    "one_line",
    "parse_ctgov_bytes",
    "render_matches",
    "top_matches",
]


def top_matches(case: CaseProfile, n: int = 3, registry: TrialRegistry | None = None) -> list[TrialMatch]:
    """Up to `n` open trials the case may qualify for (eligible or possibly eligible), best first."""
    ranked = match_trials(case, status="recruiting", registry=registry)
    return [m for m in ranked if m.status in ("eligible", "possibly_eligible")][:n]
