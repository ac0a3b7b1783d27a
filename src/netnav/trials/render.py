"""Plain-text rendering of trial matches (CLI and the `ask` trial section)."""

from __future__ import annotations

from collections.abc import Sequence

from netnav.types.trials import CRITERION_TAGS, TRIAL_STATUS_TAGS, Criterion, Site, TrialMatch


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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


def render_matches(matches: Sequence[TrialMatch], snapshot_line: str, details: bool = True) -> str:
    out = [snapshot_line, ""]
    if not matches:
        out.append("No trials to show (try --all-statuses to include closed or completed trials).")
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
