"""The report's three charts as reportlab drawings: cases per phase, ages of open cases, promise reliability."""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from workbench.cases.phases import PHASES

BLUE = colors.HexColor("#2F5D8A")
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#DDDDDD")
# Age buckets of open cases, in years since opening: (label, first day, last day or None).
AGE_BUCKETS = (("< 1", 0, 364), ("1-2", 365, 729), ("2-3", 730, 1094), ("3-4", 1095, 1459), ("4-5", 1460, 1824),
               ("5-6", 1825, 2189), ("≥ 6", 2190, None))
# Short phase names that fit under a bar.
SHORT_PHASES = {"aangemeld": "Aangem.", "eerste_toets": "1e toets", "integrale_beoordeling": "Integr. b.",
                "feitenrelaas": "Feitenr.", "vooraankondiging": "Vooraank.", "zienswijze": "Zienswijze",
                "definitieve_beschikking": "Def. besch.", "aanvullende_schade": "Aanv. sch.", "bezwaar": "Bezwaar",
                "beroep": "Beroep", "nazorg": "Nazorg", "afgesloten": "Afgesl."}


def _frame(width: float, height: float, title: str, font: str, bold: str) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = font  # the renderer otherwise starts every drawing in (unembedded) Helvetica
    d.add(String(0, height - 12, title, fontName=bold, fontSize=10, fillColor=colors.black))
    return d


def _bars(width: float, height: float, title: str, labels: list[str], values: list[int], *, font: str, bold: str,
          x_title: str) -> Drawing:
    d = _frame(width, height, title, font, bold)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 42, width - 40, height - 70
    chart.data = [values or [0]]
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.nudge = font, 7, 6
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 7
    chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 30, "ne"
    chart.categoryAxis.labels.dy = -2
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(4, int(max(values or [0]) * 1.15) + 1)
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, 7
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, LIGHT
    d.add(chart)
    d.add(String(width / 2, 2, x_title, fontName=font, fontSize=7, fillColor=GREY, textAnchor="middle"))
    return d


def phase_chart(phases: dict[str, int], *, width: float, height: float, font: str, bold: str) -> Drawing:
    """Open cases per phase (phases without cases are left out, so the bars stay readable)."""
    shown = [(p, n) for p, n in phases.items() if n]
    return _bars(width, height, "Open zaken per fase", [SHORT_PHASES.get(p, PHASES.get(p, p)) for p, _ in shown],
                 [n for _, n in shown], font=font, bold=bold, x_title="fase")


def age_buckets(ages: list[int]) -> list[int]:
    """How many open cases fall in each AGE_BUCKETS range."""
    counts = [0] * len(AGE_BUCKETS)
    for days in ages:
        for i, (_label, first, last) in enumerate(AGE_BUCKETS):
            if days >= first and (last is None or days <= last):
                counts[i] += 1
                break
    return counts


def age_chart(ages: list[int], *, width: float, height: float, font: str, bold: str) -> Drawing:
    """How long the open cases have been open, in whole years since `opened_on`."""
    return _bars(width, height, "Leeftijd van open zaken", [b[0] for b in AGE_BUCKETS], age_buckets(ages),
                 font=font, bold=bold, x_title="jaren sinds aanmelding")


def reliability_chart(points: list[tuple[dt.date, float | None]], *, width: float, height: float, font: str,
                      bold: str) -> Drawing:
    """Share of promises kept on time per week (percent); weeks without a promise due are left out."""
    d = _frame(width, height, "Toezeggingen op tijd nagekomen, per week", font, bold)
    data = [(float(i), rate * 100) for i, (_day, rate) in enumerate(points) if rate is not None]
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 34, 42, width - 44, height - 70
    plot.data = [data or [(0.0, 0.0)]]
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = BLUE, 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle", size=3, fillColor=BLUE)
    if not data:
        plot.lines[0].strokeColor = colors.white
        d.add(String(width / 2, height / 2, "geen toezeggingen met een datum in deze weken", fontName=font,
                     fontSize=8, fillColor=GREY, textAnchor="middle"))
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.5, max(len(points) - 0.5, 0.5)
    plot.xValueAxis.valueSteps = [float(i) for i in range(len(points))]
    plot.xValueAxis.labelTextFormat = lambda v: _week_label(points, v)
    plot.xValueAxis.labels.fontName, plot.xValueAxis.labels.fontSize = font, 7
    plot.xValueAxis.labels.angle, plot.xValueAxis.labels.boxAnchor = 30, "ne"
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 100, 25
    plot.yValueAxis.labelTextFormat = "%d%%"
    plot.yValueAxis.labels.fontName, plot.yValueAxis.labels.fontSize = font, 7
    plot.yValueAxis.visibleGrid, plot.yValueAxis.gridStrokeColor = True, LIGHT
    d.add(plot)
    d.add(String(width / 2, 2, "week die begint op", fontName=font, fontSize=7, fillColor=GREY, textAnchor="middle"))
    return d


def _week_label(points: list[tuple[dt.date, float | None]], value: float) -> str:
    i = round(value)
    if not 0 <= i < len(points):
        return ""
    day = points[i][0]
    return f"{day.day:02d}-{day.month:02d}"
