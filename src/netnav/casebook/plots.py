"""Server-rendered timeline plots (matplotlib, Agg backend, SVG out; no browser code, no CDN).

Panels share one date axis: Ki-67 (%) and mitoses (per 2 mm²) with the WHO grade bands drawn in,
tumour size, chromogranin A / 5-HIAA when present, and treatments as bars at the dates the reports write
(casebook/timeline.py; treatments without a written date are listed under the panel, never placed on the
axis). Grade thresholds: Ki-67
< 3 % G1, 3-20 % G2, > 20 % G3; mitoses < 2, 2-20, > 20 per 2 mm² (WHO Classification of Tumours,
Digestive System Tumours, 5th ed. 2019; Nagtegaal et al., Histopathology 2020;76:182-188,
doi:10.1111/his.13975). Text stays text in the SVG (`svg.fonttype: none`), so it is searchable.
"""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta
from typing import Any

from netnav.casebook.timeline import SERIES, Timeline

KI67_BANDS = (3.0, 20.0)
MITOSES_BANDS = (2.0, 20.0)
_BAND_COLOURS = ("#e8f4ea", "#fff4d6", "#fbe3e3")
_LOCK = threading.Lock()  # pyplot's state is global; one figure at a time


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "netnav", "font.size": 9})
    import matplotlib.pyplot as plt

    return plt


def _bands(ax: Any, cuts: tuple[float, float], top: float) -> None:
    low, high = cuts
    limit = max(top * 1.15, high * 1.25)
    for (a, b), colour, label in zip(
        ((0.0, low), (low, high), (high, limit)), _BAND_COLOURS, ("G1", "G2", "G3"), strict=True
    ):
        ax.axhspan(a, b, color=colour, zorder=0)
        ax.text(1.005, (a + b) / 2, label, transform=ax.get_yaxis_transform(), va="center", fontsize=8)
    for cut in cuts:
        ax.axhline(cut, color="#888888", linewidth=0.8, linestyle="--", zorder=1)
    ax.set_ylim(0, limit)


def _dates(values: list[str]) -> list[date]:
    return [date.fromisoformat(v[:10]) for v in values]


def _render(timeline: Timeline, title: str, fmt: str, per_panel: float, dpi: int = 100) -> bytes:
    series = timeline.present()
    has_treatments = bool(timeline.treatments)  # dated ones as bars, the rest listed in the panel
    panels = max(1, len(series) + (1 if has_treatments else 0))
    with _LOCK:
        plt = _pyplot()
        size = (7.5, per_panel * panels + 0.6)
        fig, axes = plt.subplots(panels, 1, figsize=size, sharex=True, squeeze=False)
        try:
            _draw(timeline, series, [ax for row in axes for ax in row], has_treatments)
            fig.suptitle(title, fontsize=10)
            fig.tight_layout()
            buffer = io.BytesIO()
            metadata = {"Date": None} if fmt == "svg" else {}
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
        finally:
            plt.close(fig)
    return buffer.getvalue()


def render_svg(timeline: Timeline, title: str) -> str:
    """The timeline as one SVG document (empty panels are left out; at least one panel is drawn)."""
    return _render(timeline, title, "svg", 1.9).decode("utf-8")


def render_png(timeline: Timeline, title: str, dpi: int = 110) -> bytes:
    """The same figure as PNG bytes (for the PDF visit summary)."""
    return _render(timeline, title, "png", 1.5, dpi)


def _draw(timeline: Timeline, series: list[str], axes: list[Any], has_treatments: bool) -> None:
    if not series and not has_treatments:
        axes[0].text(0.5, 0.5, "No values over time yet", ha="center", va="center")
        axes[0].set_axis_off()
        return
    for ax, name in zip(axes, series, strict=False):
        points = timeline.series(name)
        units = [p.unit for p in points]
        common = max(set(units), key=units.count)
        points = [p for p in points if p.unit == common]  # never one line through two units
        label, unit = SERIES[name]
        shown_unit = unit or (points[0].unit if points else "")
        xs, ys = _dates([p.date for p in points]), [p.value for p in points]
        ax.plot(xs, ys, marker="o", color="#1f4e79", linewidth=1.5, zorder=3)
        for x, y, p in zip(xs, ys, points, strict=True):
            ax.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
            if not p.dated:
                ax.annotate("date added", (x, y), textcoords="offset points", xytext=(0, -12), fontsize=6)
        if name == "ki67_percent":
            _bands(ax, KI67_BANDS, max(ys))
        elif name == "mitoses_per_2mm2":
            _bands(ax, MITOSES_BANDS, max(ys))
        else:
            ax.set_ylim(0, max(ys) * 1.3 or 1)
        ax.set_ylabel(f"{label}\n({shown_unit})" if shown_unit else label)
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    if has_treatments:
        _draw_treatments(axes[len(series)], timeline)
    _pad_dates(axes[-1], timeline)
    axes[-1].figure.autofmt_xdate()


def _draw_treatments(ax: Any, timeline: Timeline) -> None:
    """A bar from the written start to the written stop; open-ended (hatched) to the as-of date when ongoing;
    a marker at the one date written when the other is not. Undated or not-given treatments: listed below."""
    dated = timeline.dated_treatments()
    notes = []
    undated = [t.name for t in timeline.undated_treatments() if t.given]
    if undated:
        notes.append("No dates in the reports: " + ", ".join(undated))
    other = [f"{t.name} ({t.status})" for t in timeline.undated_treatments() if not t.given]
    if other:
        notes.append("Not given: " + ", ".join(other))
    first = len(notes)  # rows below the bars hold the notes, so no bar hides them
    days = _all_dates(timeline)
    middle = min(days) + (max(days) - min(days)) / 2 if days else None
    for i, t in enumerate(dated):
        row = first + i
        start = date.fromisoformat(t.start) if t.start else None
        end = date.fromisoformat(t.end) if t.end else None
        if start is not None and end is not None:
            width = timedelta(days=max((end - start).days, 10))
            hatch = "//" if t.stop is None else None  # open-ended: ongoing as of the latest report
            ax.barh(row, width, left=start, height=0.45, color="#7a9cc6", hatch=hatch, edgecolor="#1f4e79")
        elif start is not None:
            ax.plot([start], [row], marker=">", color="#1f4e79", markersize=8)
        elif end is not None:
            ax.plot([end], [row], marker="|", color="#1f4e79", markersize=12, markeredgewidth=2)
        right = middle is not None and (start or end or middle) > middle
        anchor = (end or start) if right else (start or end)
        label = f"{t.name} ({t.when()})"
        ax.text(anchor, row + 0.28, label, fontsize=7, ha="right" if right else "left", va="bottom")
    for row, note in enumerate(reversed(notes)):
        ax.text(0.01, row, note, transform=ax.get_yaxis_transform(), fontsize=7, va="center", color="#333333")
    ax.set_yticks([])
    ax.set_ylim(-0.6, max(first + len(dated), 1))
    ax.set_ylabel("Treatments")


def _all_dates(timeline: Timeline) -> list[date]:
    treated = [d for t in timeline.dated_treatments() for d in (t.start, t.end) if d]
    return _dates([d for d, _, _ in timeline.reports] + [p.date for p in timeline.points] + treated)


def _pad_dates(ax: Any, timeline: Timeline) -> None:
    days = _all_dates(timeline)
    if days:
        lo, hi = min(days), max(days)
        pad = timedelta(days=max(20, (hi - lo).days // 10))
        ax.set_xlim(lo - pad, hi + pad)
