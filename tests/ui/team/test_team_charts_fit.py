"""The team charts keep their phase names, dates and titles whole on a third of a 1366 px screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from tests.ui.conftest import save_screenshot
from ui.team.team_charts import TeamCharts, whole_ticks
from workbench.cases.phases import PHASES


def test_phase_names_and_dates_are_not_cut_off(qtbot: Any) -> None:
    charts = TeamCharts()
    qtbot.addWidget(charts)
    charts.resize(1000, 420)  # what the Team page leaves for the three charts at 1366 × 768
    charts.show()
    qtbot.waitExposed(charts)
    charts.set_title("Team Noord-Holland Zuid en Amstelland")
    charts.show_phases({key: n + 3 for n, key in enumerate(PHASES)})
    charts.show_ages([10, 100, 200, 400, 800])
    start = dt.date(2026, 9, 7)
    charts.show_reliability([(start + dt.timedelta(weeks=n), 0.5 if n % 3 else None) for n in range(13)])
    qtbot.wait(100)
    save_screenshot(charts, "team_charts_1366")
    for view in (charts.phases, charts.ages, charts.reliability):
        chart = view.chart()
        labels = QFontMetrics(chart.axes(Qt.Orientation.Vertical)[0].labelsFont())
        categories = [a for a in chart.axes(Qt.Orientation.Vertical) if isinstance(a, QBarCategoryAxis)]
        widest = max((labels.horizontalAdvance(name) for name in categories[0].categories()), default=0) \
            if categories else 0
        assert chart.plotArea().left() >= widest + 8, view.accessibleName()  # the names stand whole
        assert chart.plotArea().top() >= QFontMetrics(chart.titleFont()).lineSpacing(), view.accessibleName()
    assert charts.subject.text() == "Grafieken voor Team Noord-Holland Zuid en Amstelland"
    ticks = next(a for a in charts.ages.chart().axes(Qt.Orientation.Horizontal) if isinstance(a, QValueAxis))
    assert (ticks.min(), ticks.max(), ticks.tickCount()) == (0, 2, 3)  # 0, 1, 2: whole cases only


def test_count_axes_step_in_whole_numbers() -> None:
    assert [whole_ticks(n) for n in (1, 4, 9, 66, 249)] == [(1, 2), (1, 5), (5, 15), (20, 80), (100, 300)]


def test_a_chart_that_grows_keeps_its_bars_inside_its_box(qtbot: Any) -> None:
    """The Team page shares its height anew after the figures arrive: a chart first laid out small and then
    grown kept the background and axis of its first size while the bars used the new one."""
    charts = TeamCharts()
    qtbot.addWidget(charts)
    charts.resize(1000, 260)
    charts.show()
    qtbot.waitExposed(charts)
    charts.show_phases({key: n + 3 for n, key in enumerate(PHASES)})
    qtbot.wait(50)
    charts.resize(1000, 460)
    qtbot.wait(100)
    view = charts.phases
    image = view.grab().toImage()
    save_screenshot(view, "team_chart_grown")
    background = image.pixel(14, 14)  # the chart's own box, at its top left
    assert background != view.palette().window().color().rgb()
    for y in (image.height() // 2, image.height() - 14):  # the chart's own box reaches its bottom
        assert image.pixel(14, y) == background, y


def test_a_chart_with_nothing_to_draw_says_so_over_its_plot(qtbot: Any) -> None:
    """A team without open cases, or weeks without a promise due: words over the plot, not bare axes."""
    charts = TeamCharts()
    qtbot.addWidget(charts)
    charts.resize(1000, 420)
    charts.show()
    qtbot.waitExposed(charts)
    start = dt.date(2026, 9, 7)
    charts.show_phases({})
    charts.show_ages([])
    charts.show_reliability([(start + dt.timedelta(weeks=n), None) for n in range(13)])
    qtbot.wait(50)
    save_screenshot(charts, "team_charts_empty")
    said = {view.accessibleName(): view.empty.text() for view in (charts.phases, charts.ages, charts.reliability)
            if view.empty.isVisible()}
    assert said == {"Zaken per fase": "Geen open zaken", "Leeftijd van open zaken": "Geen open zaken",
                    "Toezeggingen op tijd nagekomen": "Geen toezeggingen met een datum in deze weken"}
    for view in (charts.phases, charts.ages, charts.reliability):  # the words stand inside the chart's box
        assert view.rect().contains(view.empty.geometry()), view.accessibleName()
        assert view.accessibleDescription() == view.toolTip() == view.empty.text()  # the screen reader hears the same
    charts.show_phases({next(iter(PHASES)): 2})
    charts.show_ages([10, 20])
    charts.show_reliability([(start, 1.0), (start + dt.timedelta(weeks=1), None)])
    assert not any(view.empty.isVisible() for view in (charts.phases, charts.ages, charts.reliability))
