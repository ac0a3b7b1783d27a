"""The visit summary as a one-page A4 PDF (reportlab platypus; built-in Helvetica, nothing fetched).

Long lists are cut to the limits in netnav.casebook.summary so the page stays one page for a typical
case; the timeline plot (PNG from the same matplotlib figure) is included when the case has values
over time and the page has room.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from netnav.casebook.summary import VisitSummary


def _p(text: str) -> str:
    return escape(text)


def summary_pdf(s: VisitSummary, plot_png: bytes | None = None) -> bytes:
    """PDF bytes of the visit summary (title and subject set in the document's metadata)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=8.5, leading=10.5)
    small = ParagraphStyle(
        "small", parent=body, fontSize=7, leading=8.5, textColor=colors.HexColor("#444444")
    )
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontSize=15, spaceAfter=2)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=10.5, spaceBefore=5, spaceAfter=2)
    story: list[object] = [
        Paragraph(_p(f"Visit summary: {s.case_name}"), h1),
        Paragraph(
            _p(f"Generated {s.generated} by NETNav. Reports: ")
            + _p("; ".join(f"{n} ({d or 'undated'})" for n, d in s.reports) or "none"),
            small,
        ),
        Paragraph("Key values", h2),
    ]
    rows = [[Paragraph(f"<b>{x}</b>", small) for x in ("Item", "Value", "Report date", "Where it came from")]]
    for k in s.key_values:
        value = _p(k.value) + (f"<br/><i>{_p(k.user)}</i>" if k.user else "")
        where = f"{_p(k.where)}: “{_p(k.line_text[:110])}”"
        rows.append(
            [
                Paragraph(_p(k.label), body),
                Paragraph(value, body),
                Paragraph(_p(k.report_date or "undated"), body),
                Paragraph(where, small),
            ]
        )
    table = Table(rows, colWidths=[32 * mm, 30 * mm, 22 * mm, 96 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story += [table, Paragraph(_p(f"What changed in the latest report ({s.latest_report or 'none'})"), h2)]
    if not s.changes:
        story.append(Paragraph("Nothing changed (or there is only one report).", body))
    for c in s.changes:
        was = f"was {c.before}" if c.before is not None else "new"
        story.append(Paragraph(_p(f"• {c.label}: {c.after} ({was}; {c.where})"), body))
    if plot_png:
        story += [
            Spacer(1, 3),
            Image(io.BytesIO(plot_png), width=150 * mm, height=55 * mm, kind="proportional"),
        ]
    story.append(Paragraph("Findings that matter", h2))
    story += [Paragraph(_p(f"• {f}"), body) for f in s.findings] or [
        Paragraph("None of NETNav's rules applied with the values known.", body)
    ]
    story.append(Paragraph("Questions to ask", h2))
    story += [Paragraph(_p(f"• {q}"), body) for q in s.questions] or [Paragraph("(none suggested)", body)]
    story.append(Paragraph("Trials to ask about", h2))
    story += [Paragraph(_p(f"• {n}: {t} ({lab})"), body) for n, t, lab in s.trials] or [
        Paragraph("No matching open trial.", body)
    ]
    story += [Spacer(1, 4), Paragraph(_p(s.disclaimer), small)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Visit summary: {s.case_name}",
        subject=f"NETNav visit summary generated {s.generated}",
        author="NETNav",
        invariant=1,
    )
    frame_h = A4[1] - 24 * mm
    doc.build([KeepInFrame(A4[0] - 28 * mm, frame_h, story, mode="shrink")])
    return buffer.getvalue()
