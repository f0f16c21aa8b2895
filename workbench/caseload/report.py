"""The caseload report for a team meeting: an A4 landscape PDF (figures, charts, handler table) and a CSV.

Neither holds a BSN or a parent's name: only handler names, counts and dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from workbench.caseload import charts as drawing
from workbench.caseload.signals import days_since_sync, stale
from workbench.caseload.terms import NEAR_TERM_DAYS, NO_CONTACT_DAYS, day_text, plural
from workbench.caseload.types import Figures, TeamFigures
from workbench.resources import resource_path

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE = landscape(A4)
MARGIN = 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN
BLUE = colors.HexColor("#2F5D8A")
ALERT = colors.HexColor("#A33A1F")
STRIPE = colors.HexColor("#F3F6F9")
MAX_SIGNALS = 3
# A table sets its cells' font itself (Helvetica by default), even where every cell is a Paragraph.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), FONT)


@dataclass(frozen=True)
class ChartData:
    """What the charts draw: open cases per phase, ages of open cases in days, reliability per week."""

    phases: dict[str, int]
    ages: list[int]
    reliability: list[tuple[dt.date, float | None]]


@cache
def _fonts() -> None:
    """DejaVu from resources/fonts, under the names the letters use (registering again is harmless)."""
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        "sub": ParagraphStyle("sub", parent=base, textColor=colors.HexColor("#555555"), spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=7, leading=9, textColor=colors.white,
                               splitLongWords=0),
        "signal": ParagraphStyle("signal", parent=base, fontSize=7.5, leading=9.5, textColor=ALERT),
        "def": ParagraphStyle("def", parent=base, fontSize=8.5, leading=11.5, leftIndent=10, bulletIndent=0,
                              bulletFontName=FONT, spaceAfter=3),
    }


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def _num(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if isinstance(value, float) else str(value)


def _last_sync(f: Figures, today: dt.date) -> str:
    """Each device on its own line: 'laptop-anna: 9 d', 'nooit' or 'vandaag'."""
    if not f.devices:
        return "geen apparaat"
    if f.handler_id is None:  # the team row: a count, not every device of every handler again
        behind = sum(1 for d in f.devices if stale(d, today))
        return f"{len(f.devices)} apparaten, {behind} achter"
    lines = []
    for device in f.devices:
        days = days_since_sync(device, today)
        when = "nooit" if days is None else "vandaag" if days == 0 else f"{days} d"
        lines.append(f"{_escape(device.device_name or 'apparaat')}: {when}")
    return "<br/>".join(lines)


def _key_figures(team: Figures) -> list[tuple[str, str]]:
    return [
        ("Open zaken", str(team.open_cases)),
        ("Acuut", str(team.urgent)),
        (f"Geen contact > {NO_CONTACT_DAYS} d", str(team.no_recent_contact)),
        ("Acties te laat", str(team.actions_overdue)),
        (f"Toezeggingen te laat (van {team.commitments_open} open)", str(team.commitments_overdue)),
        ("Op tijd nagekomen (90 d)", _pct(team.promise_reliability)),
        ("Op eerste datum (90 d)", _pct(team.promises_kept_first_date)),
        ("Beslistermijn verstreken", str(team.decisions_past_term)),
        (f"Beslistermijn < {NEAR_TERM_DAYS} d", str(team.decisions_near_term)),
        ("Bezwaartermijn loopt", str(team.objection_terms_running)),
        ("Brieven ter controle", str(team.letters_in_review)),
    ]


def _key_table(team: Figures) -> Table:
    st = _styles()
    pairs = _key_figures(team)
    labels = [Paragraph(label, st["cell"]) for label, _ in pairs]
    values = [Paragraph(f"<font size=14><b>{value}</b></font>", st["base"]) for _, value in pairs]
    table = Table([values, labels], colWidths=[WIDTH / len(pairs)] * len(pairs))
    table.setStyle(TableStyle([CELL_FONT, ("BOX", (0, 0), (-1, -1), 0.6, BLUE),
                               ("INNERGRID", (0, 0), (-1, -1), 0.3, BLUE),
                               ("BACKGROUND", (0, 0), (-1, -1), STRIPE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, 1), (-1, 1), 5)]))
    return table


# Column headers and widths (mm), chosen so no word is broken inside a cell; the rest goes to the signals.
HEADERS = ("Behandelaar", "Open zaken", "Acuut", "Dagen sinds contact: mediaan / langste",
           f"Geen contact > {NO_CONTACT_DAYS} d", "Acties te laat", "Toezeggingen open / te laat",
           "Op tijd (90 d)", "Op eerste datum (90 d)", "Termijn verstreken / < 14 d", "Bezwaar loopt",
           "Ter controle (oudste)",
           "Laatste sync per apparaat", "Aandacht")
COL_MM = (30, 11, 11, 19, 14, 12, 21, 14, 14, 18, 13, 15, 29, 0)


def _row(f: Figures, today: dt.date, *, bold: bool = False) -> list[Any]:
    st = _styles()
    cell = st["cell"]
    name = f"<b>{_escape(f.name)}</b>" if bold else _escape(f.name)
    review = f"{f.letters_in_review}" + (f" ({f.oldest_review_days} d)" if f.oldest_review_days is not None else "")
    values = [name, str(f.open_cases), str(f.urgent),
              f"{_num(f.days_since_contact_median)} / {_num(f.days_since_contact_max)}", str(f.no_recent_contact),
              str(f.actions_overdue), f"{f.commitments_open} / {f.commitments_overdue}",
              _pct(f.promise_reliability) + (f" ({f.promises_kept_on_time_90d}/{f.promises_due_90d})"
                                             if f.promises_due_90d else ""),
              _pct(f.promises_kept_first_date) + (f" ({f.promises_kept_first_date_90d}/{f.promises_first_due_90d})"
                                                  if f.promises_first_due_90d else ""),
              f"{f.decisions_past_term} / {f.decisions_near_term}", str(f.objection_terms_running), review,
              _last_sync(f, today)]
    last = len(values) - 1  # name and devices are escaped already
    out: list[Any] = [Paragraph(v if i in (0, last) else _escape(v), cell) for i, v in enumerate(values)]
    # The columns hold the numbers; three signals per row keep a 50-handler table to a few pages (the CSV has all).
    shown = [_escape(s) for s in f.signals[:MAX_SIGNALS]]
    if len(f.signals) > MAX_SIGNALS:
        shown.append(f"+ {len(f.signals) - MAX_SIGNALS} andere")
    out.append(Paragraph("<br/>".join(shown) or "–", st["signal"]))
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _handler_table(figures: TeamFigures) -> Table:
    st = _styles()
    widths = [w * mm for w in COL_MM]
    widths[-1] = WIDTH - sum(widths)
    data: list[list[Any]] = [[Paragraph(_escape(h), st["head"]) for h in HEADERS]]
    data += [_row(f, figures.as_of) for f in figures.handlers]
    if len(figures.handlers) > 1:
        data.append(_row(figures.team, figures.as_of, bold=True))
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [CELL_FONT, ("BACKGROUND", (0, 0), (-1, 0), BLUE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    style += [("BACKGROUND", (0, r), (-1, r), STRIPE) for r in range(2, len(data), 2)]
    if len(figures.handlers) > 1:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1, BLUE)]
    table.setStyle(TableStyle(style))
    return table


DEFINITIONS = (
    "<b>Open zaak</b>: niet afgesloten en niet verwijderd. Een zaak telt mee bij wie haar op de peildatum "
    "behandelt; een overgedragen zaak telt dus helemaal bij de nieuwe behandelaar.",
    "<b>Acuut</b>: dreigende huisuitzetting, afsluiting van energie of beslag.",
    "<b>Dagen sinds contact</b>: dagen sinds het laatste huisbezoek, telefoongesprek, e-mail of brief in het "
    "verhaal; zonder contact sinds de aanmelding. Overleg en notities tellen niet als contact.",
    "<b>Acties te laat</b>: open acties met een uiterste datum vóór de peildatum.",
    "<b>Toezeggingen</b>: open of opnieuw afgesproken toezeggingen; te laat als de uiterste datum voorbij is.",
    "<b>Op tijd (90 d)</b>: van de toezeggingen met een uiterste datum in de 90 dagen vóór de peildatum, het "
    "deel dat uiterlijk op die datum is nagekomen (op de dag zelf telt als op tijd). Na een nieuwe afspraak "
    "telt de nieuwe datum.",
    "<b>Op eerste datum (90 d)</b>: van de toezeggingen waarvan de eerst beloofde datum in de 90 dagen vóór de "
    "peildatum lag, het deel dat uiterlijk op die eerste datum is nagekomen. Een nieuwe afspraak verschuift die "
    "datum niet: een toezegging die is verzet en daarna op de nieuwe datum is nagekomen, telt hier niet als op tijd.",
    f"<b>Beslistermijn</b>: de termijn op de zaak; bij bezwaar zonder termijn de beslistermijn uit de "
    f"beleidsversie die geldt (12 weken met adviescommissie). Verstreken: vóór de peildatum; &lt; {NEAR_TERM_DAYS} d: "
    f"verloopt binnen {NEAR_TERM_DAYS} dagen.",
    "<b>Bezwaartermijn loopt</b>: de ouder kan nog bezwaar maken (bezwaartermijn tot en met de peildatum of later).",
    "<b>Ter controle</b>: brieven die wachten op een controleur; tussen haakjes hoeveel dagen de oudste wacht.",
    "<b>Laatste sync</b>: hoe lang geleden het minst recent gesynchroniseerde apparaat van de behandelaar "
    "met de centrale synchroniseerde; werk op dat apparaat ziet het team pas daarna.",
)


def report_pdf(figures: TeamFigures, *, charts: ChartData) -> bytes:
    """The report as A4 landscape PDF bytes, fonts embedded."""
    _fonts()
    st = _styles()
    team = figures.team
    today = day_text(figures.as_of)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=f"Caseload {team.name} {today}", author="Zaakwerkbank",
                            subject="Caseloadoverzicht voor het teamoverleg", creator="Zaakwerkbank",
                            # the canvas would start in (unembedded) Helvetica; never let a base-14 font in
                            initialFontName=FONT)
    chart_w, chart_h = WIDTH / 3 - 4, 62 * mm
    row = Table([[drawing.phase_chart(charts.phases, width=chart_w, height=chart_h, font=FONT, bold=BOLD),
                  drawing.age_chart(charts.ages, width=chart_w, height=chart_h, font=FONT, bold=BOLD),
                  drawing.reliability_chart(charts.reliability, width=chart_w, height=chart_h, font=FONT, bold=BOLD)]],
                colWidths=[WIDTH / 3] * 3, style=[CELL_FONT])
    story: list[Flowable] = [
        Paragraph(f"Caseload {_escape(team.name)}", st["title"]),
        Paragraph(f"Peildatum {today} · {plural(len(figures.handlers), 'behandelaar', 'behandelaars')}"
                  " · zonder BSN's of namen van ouders",
                  st["sub"]),
        _key_table(team), Spacer(1, 4 * mm),
        Paragraph("Aandacht voor het team", st["h2"]),
        Paragraph(" · ".join(_escape(s) for s in team.signals) or "Geen signalen.", st["signal"]),
        Spacer(1, 4 * mm), row, PageBreak(),
        Paragraph("Per behandelaar", st["h2"]), _handler_table(figures), Spacer(1, 5 * mm),
        KeepTogether([Paragraph("Zo zijn de cijfers bepaald", st["h2"]),
                      *[Paragraph(text, st["def"], bulletText="•") for text in DEFINITIONS]]),
    ]

    def footer(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 8 * mm, f"Caseload {team.name} · peildatum {today} · vertrouwelijk")
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"pagina {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


CSV_HEADERS = ("Behandelaar", "Open zaken", "Acuut", "Dagen sinds contact (mediaan)", "Dagen sinds contact (langste)",
               f"Geen contact > {NO_CONTACT_DAYS} dagen", "Acties te laat", "Toezeggingen open",
               "Toezeggingen te laat", "Toezeggingen verlopen (90 dagen)", "Op tijd nagekomen (90 dagen)",
               "Op tijd nagekomen (%)", "Toezeggingen verlopen op eerste datum (90 dagen)",
               "Op eerste datum nagekomen (90 dagen)", "Op eerste datum nagekomen (%)", "Beslistermijn verstreken",
               f"Beslistermijn binnen {NEAR_TERM_DAYS} dagen",
               "Bezwaartermijn loopt", "Brieven ter controle", "Oudste brief ter controle (dagen)",
               "Apparaten", "Laatste synchronisatie, minst recente apparaat (dagen geleden)", "Wijzigingen wachtend",
               "Conflicten open",
               "Aandacht", "Peildatum")


def _csv_row(f: Figures, today: dt.date) -> list[str]:
    syncs = [days_since_sync(d, today) for d in f.devices]
    last = "nooit" if any(s is None for s in syncs) else str(max((s for s in syncs if s is not None), default=""))
    median = "" if f.days_since_contact_median is None else f"{f.days_since_contact_median:g}".replace(".", ",")
    return [f.name, str(f.open_cases), str(f.urgent), median, _num(f.days_since_contact_max).replace("–", ""),
            str(f.no_recent_contact), str(f.actions_overdue), str(f.commitments_open), str(f.commitments_overdue),
            str(f.promises_due_90d), str(f.promises_kept_on_time_90d),
            "" if f.promise_reliability is None else str(round(f.promise_reliability * 100)),
            str(f.promises_first_due_90d), str(f.promises_kept_first_date_90d),
            "" if f.promises_kept_first_date is None else str(round(f.promises_kept_first_date * 100)),
            str(f.decisions_past_term), str(f.decisions_near_term), str(f.objection_terms_running),
            str(f.letters_in_review), "" if f.oldest_review_days is None else str(f.oldest_review_days),
            str(len(f.devices)), last if f.devices else "", str(sum(d.pending_changes for d in f.devices)),
            str(sum(d.open_conflicts for d in f.devices)), " | ".join(f.signals), day_text(today)]


def report_csv(figures: TeamFigures) -> str:
    """One row per handler, then the team row; semicolons and decimal commas, as Dutch spreadsheets expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for f in figures.handlers:
        writer.writerow(_csv_row(f, figures.as_of))
    if figures.team.handler_id is None:  # a handler's own export has no team row
        writer.writerow(_csv_row(figures.team, figures.as_of))
    return out.getvalue()
