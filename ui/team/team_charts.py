"""Three charts for the team or one handler: cases per phase, age of open cases, promise reliability over time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins, QRectF, Qt, QTime, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.cases.phases import PHASES
from workbench.i18n import _

BAR_COLOUR = QColor("#1f5f8b")
LINE_COLOUR = QColor("#1f5f8b")
# Buckets of a case's age in days: (upper bound exclusive, label).
# No "<" or ">": chart labels are rich text, and "< 3" would vanish as the start of a tag.
AGE_BUCKETS: tuple[tuple[int, str], ...] = ((90, "0–3 mnd"), (180, "3–6 mnd"), (365, "6–12 mnd"),
                                            (730, "1–2 jaar"), (10**9, "2 jaar of meer"))
def age_buckets(ages: Sequence[int]) -> list[tuple[str, int]]:
    """How many open cases fall in each age bucket, youngest first."""
    counts = [0] * len(AGE_BUCKETS)
    for age in ages:
        counts[next(n for n, (upper, _label) in enumerate(AGE_BUCKETS) if age < upper)] += 1
    return [(label, count) for (_upper, label), count in zip(AGE_BUCKETS, counts, strict=True)]


def phase_counts(by_phase: Mapping[str, int]) -> list[tuple[str, int]]:
    """(phase name, open cases) in the order of the process; phases without cases are left out."""
    known = [(PHASES[key], by_phase[key]) for key in PHASES if by_phase.get(key)]
    return known + [(key, n) for key, n in sorted(by_phase.items()) if key not in PHASES and n]


def whole_ticks(top: int) -> tuple[int, int]:
    """A step of 1, 2 or 5 × 10ⁿ giving at most five intervals, and the axis end (a multiple of it) above `top`."""
    need = -(-top * 23 // 20)  # room above the longest bar for its number
    step = 1
    while True:
        for size in (step, 2 * step, 5 * step):
            intervals = -(-need // size)
            if intervals <= 5:
                return size, intervals * size
        step *= 10


class FittedChartView(QChartView):
    """A chart view that keeps room on the left for the whole category names and above for a two-line title.

    Qt Charts gives a vertical axis's labels a fixed share of the width and cuts longer names off
    ("Integrale beoorde…"): here the plot area is set from the labels actually shown.
    """

    def __init__(self, chart: QChart) -> None:
        super().__init__(chart)
        # Said over the plot when there is nothing to draw: empty axes alone read as "still loading" or "0 %".
        self.empty = QLabel("", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()

    def describe(self, words: str, *, nothing: str) -> None:
        """The numbers in words, for the screen reader and the tooltip; without any, `nothing` says why there, and
        over the plot too."""
        said = words or nothing
        self.setAccessibleDescription(said)
        self.setToolTip(said.replace("; ", "\n"))
        self.empty.setText("" if words else nothing)
        self.empty.setVisible(not words)
        self._place_empty()

    def _place_empty(self) -> None:
        margin = self.width() // 8
        self.empty.setGeometry(margin, self.height() // 3, self.width() - 2 * margin, self.height() // 3)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_empty()
        self.fit_plot_area()

    def fit_plot_area(self) -> None:
        """Let Qt lay the chart out for its new size first, then fix the plot area once that has happened: with a
        fixed plot area Qt Charts keeps the background and axes of the size the chart had when it was fixed, so
        the bars of a grown chart would spill out of its white box and past their names."""
        chart = self.chart()
        chart.setPlotArea(QRectF())
        layout = chart.layout()
        if layout is not None:
            layout.invalidate()  # without this the background and axes stay at the old size
        QTimer.singleShot(0, self, self._fix_plot_area)  # with the view as context: dropped if it is gone first

    def _fix_plot_area(self) -> None:
        chart = self.chart()
        categories = [axis for axis in chart.axes(Qt.Orientation.Vertical) if isinstance(axis, QBarCategoryAxis)]
        vertical = chart.axes(Qt.Orientation.Vertical)
        if not vertical:
            return
        metrics = QFontMetrics(vertical[0].labelsFont())
        names = categories[0].categories() if categories else ["100%"]
        left = max(metrics.horizontalAdvance(name) for name in [*names, "0"]) + 18
        top = QFontMetrics(chart.titleFont()).lineSpacing() + 14
        bottom = metrics.lineSpacing() + 16
        right = metrics.horizontalAdvance("00-00") // 2 + 8
        size = self.size()
        if size.width() > left + right + 40 and size.height() > top + bottom + 40:
            chart.setPlotArea(QRectF(left, top, size.width() - left - right, size.height() - top - bottom))
            layout = chart.layout()
            if layout is not None:
                layout.invalidate()  # the axes and the background follow the fixed plot area


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def _bar_chart(chart: QChart, labels: Sequence[str], values: Sequence[int], name: str) -> None:
    """Horizontal bars: the category names stay whole on the left instead of being cut off under the bars."""
    _clear(chart)
    bars = QBarSet(name)
    bars.setColor(BAR_COLOUR)
    # Qt draws the first category at the bottom; reversed, the list reads top-down in process order.
    bars.append([float(v) for v in reversed(values)])
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
    bars.setLabelColor(QColor("white"))
    series.setBarWidth(0.7)
    chart.addSeries(series)
    y_axis = QBarCategoryAxis()
    y_axis.setTruncateLabels(False)  # FittedChartView makes room for the whole names
    y_axis.append(list(reversed(labels)) or ["–"])
    x_axis = QValueAxis()
    x_axis.setTruncateLabels(False)
    step, upper = whole_ticks(max([*values, 1]))
    x_axis.setRange(0, upper)
    x_axis.setTickCount(upper // step + 1)  # whole numbers only: never "0 0 1 1" for a count of one
    x_axis.setLabelFormat("%d")
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(y_axis)
    series.attachAxis(x_axis)


class TeamCharts(QWidget):
    """The charts side by side; each view's accessible description says the numbers in words.

    Attributes:
        phases, ages, reliability: the three chart views.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phases = self._view(_("Zaken per fase"))
        self.ages = self._view(_("Leeftijd van open zaken"))
        self.reliability = self._view(_("Toezeggingen op tijd nagekomen"))
        self.subject = QLabel("")
        self.subject.setAccessibleName(_("Grafieken voor"))
        row = QHBoxLayout()
        for view in (self.phases, self.ages, self.reliability):
            row.addWidget(view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.subject)
        layout.addLayout(row, 1)

    def _view(self, title: str) -> FittedChartView:
        view = FittedChartView(_chart(title))
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setAccessibleName(title)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to operate; the description carries the numbers
        view.setMinimumHeight(view.fontMetrics().lineSpacing() * 14)
        return view

    def set_title(self, who: str) -> None:
        for view, what in ((self.phases, _("Zaken per fase")), (self.ages, _("Leeftijd van open zaken")),
                           (self.reliability, _("Toezeggingen op tijd nagekomen"))):
            view.setAccessibleName(_("{what}, {who}").format(what=what, who=who))
        # Once above the charts, not in each title, where a long team name was cut off.
        self.subject.setText(_("Grafieken voor {who}").format(who=who))

    def show_phases(self, by_phase: Mapping[str, int]) -> None:
        rows = phase_counts(by_phase)
        _bar_chart(self.phases.chart(), [r[0] for r in rows], [r[1] for r in rows], _("Zaken"))
        self.phases.fit_plot_area()
        self.phases.describe("; ".join(f"{name}: {n}" for name, n in rows), nothing=_("Geen open zaken"))

    def show_ages(self, ages: Sequence[int]) -> None:
        buckets = age_buckets(ages)
        _bar_chart(self.ages.chart(), [b[0] for b in buckets], [b[1] for b in buckets], _("Zaken"))
        self.ages.fit_plot_area()
        self.ages.describe("; ".join(f"{label}: {n}" for label, n in buckets) if ages else "",
                           nothing=_("Geen open zaken"))

    def show_reliability(self, series: Sequence[tuple[dt.date, float | None]]) -> None:
        chart = self.reliability.chart()
        _clear(chart)
        x_axis = QDateTimeAxis()
        x_axis.setFormat("dd-MM")
        x_axis.setTruncateLabels(False)
        x_axis.setTickCount(min(max(len(series), 2), 5))  # five dates fit a third of a laptop screen
        if series:
            x_axis.setRange(_moment(series[0][0]), _moment(series[-1][0]))
        y_axis = QValueAxis()
        y_axis.setTruncateLabels(False)
        y_axis.setRange(0, 100)
        y_axis.setLabelFormat("%d%%")
        y_axis.setTickCount(6)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        # A week without promises due has no rate: the line breaks there instead of dropping to zero.
        for points in _segments(series):
            line = QLineSeries() if len(points) > 1 else QScatterSeries()
            if isinstance(line, QScatterSeries):
                line.setColor(LINE_COLOUR)
                line.setMarkerSize(9)
            else:
                pen = QPen(LINE_COLOUR)
                pen.setWidth(2)
                line.setPen(pen)
            for day, value in points:
                line.append(float(_moment(day).toMSecsSinceEpoch()), value * 100)
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        self.reliability.fit_plot_area()
        known = [(day, value) for day, value in series if value is not None]
        words = "; ".join(_("week van {day}: {percent}%").format(day=f"{day:%d-%m-%Y}", percent=round(value * 100))
                          for day, value in known)
        self.reliability.describe(words, nothing=_("Geen toezeggingen met een datum in deze weken"))


def _moment(day: dt.date) -> QDateTime:
    return QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))


def _segments(series: Sequence[tuple[dt.date, float | None]]) -> list[list[tuple[dt.date, float]]]:
    """Runs of weeks that have a rate, split where a week has none."""
    runs: list[list[tuple[dt.date, float]]] = [[]]
    for day, value in series:
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((day, value))
    return [run for run in runs if run]
