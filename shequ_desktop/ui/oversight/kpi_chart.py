"""A percent bar chart (QtCharts): bars at or above the target blue, below it red, the target dashed."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QLineSeries, QStackedBarSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from shequ_desktop.ui.oversight.kpi_labels import RED

BLUE = "#1f5fa8"


def axis_floor(values: list[float | None], target: float | None) -> float:
    """Ten below the lowest bar or target, in steps of ten (0 at least): 95 % and 100 % must not look alike."""
    seen = [v for v in (*values, target) if v is not None]
    return max(0.0, (int(min(seen)) // 10) * 10 - 10.0) if seen else 0.0


class PercentBarChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(150)
        chart = QChart()
        chart.legend().hide()
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.setBackgroundRoundness(0)
        self.setChart(chart)
        self.labels: list[str] = []
        self.values: list[float | None] = []

    def show_values(self, title: str, labels: list[str], values: list[float | None], target: float | None) -> None:
        self.labels, self.values = labels, values
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(title)
        ok, low = QBarSet("ok"), QBarSet("low")
        ok.setColor(QColor(BLUE))
        low.setColor(QColor(RED))
        for v in values:
            below = v is not None and target is not None and v < target
            ok.append(0.0 if v is None or below else v)
            low.append(v if below and v is not None else 0.0)
        bars = QStackedBarSeries()
        bars.append(ok)
        bars.append(low)
        bars.setBarWidth(0.6)
        chart.addSeries(bars)
        x = QBarCategoryAxis()
        x.append(labels or [""])
        y = QValueAxis()
        y.setRange(axis_floor(values, target), 100.0)
        y.setLabelFormat("%d")
        y.setTickCount(3)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x)
        bars.attachAxis(y)
        if target is not None and labels:
            line = QLineSeries()
            line.append([QPointF(-0.5, target), QPointF(len(labels) - 0.5, target)])
            pen = QPen(QColor(RED))
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidth(2)
            line.setPen(pen)
            chart.addSeries(line)
            line.attachAxis(y)
            helper = QValueAxis()        # the line's own x axis spans the categories' width; hidden
            helper.setRange(-0.5, len(labels) - 0.5)
            helper.setVisible(False)
            chart.addAxis(helper, Qt.AlignmentFlag.AlignBottom)
            line.attachAxis(helper)
