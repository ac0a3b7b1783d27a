"""Plain-text rendering of trial matches (CLI and the `ask` trial section)."""

from __future__ import annotations

from collections.abc import Sequence

from netnav.types.trials import CRITERION_TAGS, TRIAL_STATUS_TAGS, Criterion, TrialMatch


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


def render_matches(matches: Sequence[TrialMatch], snapshot_line: str, details: bool = True) -> str:
    out = [snapshot_line, ""]
    if not matches:
        out.append("No trials to show (try --status all to include closed or completed trials).")
    for rank, m in enumerate(matches, 1):
        out.append(
            f"{rank}. {m.nct_id}  {TRIAL_STATUS_TAGS[m.status]}  score {m.score:.2f}  "
            f"[{m.overall_status or 'status unknown'}; {m.phase or 'phase not given'}; "
            f"data as of {m.snapshot_date or 'unknown date'}]"
        )
        out.append(f"   {_clip(m.title, 160)}")
        if m.reason:
            out.append(f"   {_clip(m.reason, 200)}")
        if details:
            for n, c in enumerate(m.criteria, 1):
                out.extend(criterion_line(n, c))
        out.append("")
    out.append("Information, not medical advice: eligibility is decided by the trial team.")
    return "\n".join(out)
