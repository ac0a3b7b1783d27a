"""Plain-text rendering of trial matches (CLI and the `ask` trial section)."""

from __future__ import annotations

from collections.abc import Sequence

from netnav.types.trials import CRITERION_TAGS, TRIAL_STATUS_TAGS, Criterion, Site, TrialMatch


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def blocks(c: Criterion) -> bool:
    """The criterion keeps the person out: an inclusion not met, or an exclusion that applies."""
    return (c.kind == "inclusion" and c.label == "not_met") or (c.kind == "exclusion" and c.label == "met")


def plain_reason(m: TrialMatch) -> str | None:
    """The patient view's one line on a trial, from its criteria (no matcher reasons or case field names):
    the requirements the records do not fit (at most three named), else how many cannot be checked yet."""
    blocking = [c.text for c in m.criteria if blocks(c)]
    if blocking:
        more = f" (and {len(blocking) - 3} more)" if len(blocking) > 3 else ""
        return "Your records do not fit: " + "; ".join(blocking[:3]) + more + "."
    unknown = sum(1 for c in m.criteria if c.label == "insufficient_info")
    if unknown:
        total = len(m.criteria)
        return (
            f"{unknown} of {total} requirements cannot be checked from your reports yet: ask the trial team."
        )
    return None


def criterion_line(n: int, c: Criterion) -> list[str]:
    kind = "incl" if c.kind == "inclusion" else "excl"
    lines = [
        f"    {n:>2}. [{CRITERION_TAGS[c.label]:<9}] ({kind}) {_clip(c.text, 150)}",
        f"          why: {_clip(c.reason, 170)}",
    ]
    if c.evidence:
        lines.append(f"          case: {_clip('; '.join(c.evidence), 170)}")
    return lines


def one_line(m: TrialMatch) -> str:
    """A single sentence-like summary, e.g. for the `ask` trial section."""
    phase = f", {m.phase}" if m.phase else ""
    status = m.overall_status or "status unknown"
    return (
        f"{m.nct_id} ({status}{phase}): {TRIAL_STATUS_TAGS[m.status].lower()}, score {m.score:.2f}"
        f" - {_clip(m.title, 110)}"
    )


def freshness(m: TrialMatch) -> str:
    """The record's own last-update date (and when we fetched it); never the day we looked as data date."""
    text = f"record updated {m.last_update}" if m.last_update else "record date not stated"
    return f"{text}, fetched {m.fetched_at[:10]}" if m.fetched_at else text


def site_line(site: Site) -> str:
    where = ", ".join(x for x in (site.facility, site.city, site.country) if x) or "site not named"
    far = f"{site.distance_km:g} km: " if site.distance_km is not None else ""
    status = f" ({site.status})" if site.status else ""
    contact = f"; contact: {site.contact}" if site.contact else ""
    return f"   {far}{_clip(where, 110)}{status}{contact}"


NO_TRIALS = "No trials to show (try --all-statuses to include closed or completed trials)."


def _nearest(matches: Sequence[TrialMatch]) -> tuple[Site, str] | None:
    placed = [(s, m.nct_id) for m in matches for s in m.sites if s.distance_km is not None]
    return min(placed, key=lambda pair: pair[0].distance_km or 0.0) if placed else None


def lists_no_sites(shown: Sequence[TrialMatch]) -> bool:
    """True when trials fit the case but none lists its sites (the built-in trial list carries no sites),
    so a search near a place can neither keep nor drop any of them."""
    return bool(shown) and not any(m.sites for m in shown)


def empty_near_note(
    shown: Sequence[TrialMatch], unbounded: Sequence[TrialMatch], place: str, within: str | None
) -> str:
    """Why a search near `place` finds no trial, saying what is known and what is not.

    `shown`: the trials for the case without a place (same status scope); `unbounded`: the same search with
    the place but no distance limit (trials with an open site NETNav can place, sites nearest first).
    Three answers: no trial fits at all; trials fit but none lists its sites (then nothing is known about
    sites near `place`, and the caller lists the trials without distances); or none is in reach (the
    nearest open site is named)."""
    if not shown:
        return "No trial in NETNav's registry is listed for this case with the chosen statuses."
    if lists_no_sites(shown):
        return (
            f"None of the {len(shown)} trial(s) listed for this case gives its sites in NETNav's registry "
            "(the built-in trial list carries no sites), so no distance can be worked out. This does not "
            f"mean there is no site near {place}: each trial's ClinicalTrials.gov record lists its sites."
        )
    reach = f" within {within}" if within else ""
    note = f"No open trial in NETNav's registry has a site in reach of {place}{reach}."
    nearest = _nearest(unbounded)
    if nearest is None:
        return f"{note} None of the sites listed is open at a place NETNav can locate."
    site, nct_id = nearest
    where = ", ".join(x for x in (site.facility, site.city, site.country) if x)
    return f"{note} The nearest open site listed is {site.distance_km:g} km away ({where}; {nct_id})."


def render_matches(
    matches: Sequence[TrialMatch], snapshot_line: str, details: bool = True, note: str | None = None
) -> str:
    """The CLI listing. `note` (e.g. `empty_near_note` after --near) is printed before the trials, or
    instead of the 'no trials' line when there are none."""
    out = [snapshot_line, ""]
    if note:
        out.extend([note, ""])
    elif not matches:
        out.append(NO_TRIALS)
    for rank, m in enumerate(matches, 1):
        out.append(
            f"{rank}. {m.nct_id}  {TRIAL_STATUS_TAGS[m.status]}  score {m.score:.2f}  "
            f"[{m.overall_status or 'status unknown'}; {m.phase or 'phase not given'}; "
            f"{freshness(m)}]"
        )
        out.append(f"   {_clip(m.title, 160)}")
        shown = [site for site in m.sites if site.distance_km is not None][:3] or m.sites[:2]
        out.extend(site_line(site) for site in shown)
        if len(m.sites) > len(shown):
            out.append(f"   ... {len(m.sites) - len(shown)} more site(s) in the registry record")
        if m.reason:
            out.append(f"   {_clip(m.reason, 200)}")
        if details:
            for n, c in enumerate(m.criteria, 1):
                out.extend(criterion_line(n, c))
        out.append("")
    out.append("Information, not medical advice: eligibility is decided by the trial team.")
    return "\n".join(out)
