"""A habit's streak calendar: a GitHub-style grid of the last weeks, a column per week, Monday on top."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from nargis_desktop.services.insight_series import BEFORE, DONE, FUTURE, MISSED, OPEN

# Saturated enough to read on a light and on a dark window; the neutral states take the text colour.
STATE_COLOURS = {DONE: QColor("#2da44e"), MISSED: QColor("#e5534b")}
STATE_WORDS = {DONE: "done", MISSED: "missed", OPEN: "not due", FUTURE: "to come", BEFORE: "before the start"}
LEFT_PX, TOP_PX, LEGEND_PX = 34, 18, 24
MIN_PITCH_PX, MAX_PITCH_PX = 9, 18


class HeatMap(QWidget):
    """Drawn once into a pixmap per set of days, size and colours; every repaint (each visit to the
    view) copies that: drawing the cells one by one took the main thread 5 ms a paint."""

    def __init__(self) -> None:
        super().__init__()
        self.states: dict[date, str] = {}
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._drawn: QPixmap | None = None
        self._drawn_for: tuple[object, ...] = ()

    def show_days(self, states: dict[date, str]) -> None:
        self.states = dict(states)
        self._drawn = None
        self.setFixedHeight(self._height(self.width()))  # the number of weeks sets the cell size
        self.update()

    @property
    def weeks(self) -> int:
        return len(self.states) // 7

    def done_days(self) -> set[date]:
        return {day for day, state in self.states.items() if state == DONE}

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = LEFT_PX + 26 * 15
        return QSize(width, self._height(width))

    def _height(self, width: int) -> int:
        return TOP_PX + 7 * self._pitch(width) + LEGEND_PX

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Square cells as large as the width allows: the height follows the width."""
        super().resizeEvent(event)
        self.setFixedHeight(self._height(event.size().width()))

    def _pitch(self, width: int | None = None) -> int:
        """Cell size plus gap, in pixels."""
        weeks = self.weeks or 26
        across = ((self.width() if width is None else width) - LEFT_PX - 4) // weeks
        return max(MIN_PITCH_PX, min(MAX_PITCH_PX, across))

    def _first(self) -> date:
        return min(self.states)

    def cell_rect(self, day: date) -> QRect:
        pitch = self._pitch()
        offset = (day - self._first()).days
        return QRect(LEFT_PX + (offset // 7) * pitch, TOP_PX + (offset % 7) * pitch, pitch - 3, pitch - 3)

    def day_at(self, point: QPoint) -> date | None:
        if not self.states:
            return None
        pitch = self._pitch()
        column, row = (point.x() - LEFT_PX) // pitch, (point.y() - TOP_PX) // pitch
        if point.x() < LEFT_PX or point.y() < TOP_PX or not (0 <= column < self.weeks and 0 <= row < 7):
            return None
        return self._first() + timedelta(days=7 * column + row)

    def colour(self, state: str) -> QColor:
        if state in STATE_COLOURS:
            return STATE_COLOURS[state]
        neutral = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        neutral.setAlpha({OPEN: 40, FUTURE: 14, BEFORE: 8}.get(state, 0))
        return neutral

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self.states:
            return
        ratio = self.devicePixelRatioF()
        drawn_for = (self.size(), ratio, self.palette().color(QPalette.ColorRole.WindowText).rgba(), self.font())
        if self._drawn is None or drawn_for != self._drawn_for:
            self._drawn = QPixmap(self.size() * ratio)
            self._drawn.setDevicePixelRatio(ratio)
            self._drawn.fill(Qt.GlobalColor.transparent)
            self._draw(QPainter(self._drawn))
            self._drawn_for = drawn_for
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._drawn)
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.8, 7.0))
        painter.setFont(font)
        pitch = self._pitch()
        painter.setPen(text)
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
            painter.drawText(QRect(0, TOP_PX + row * pitch - 2, LEFT_PX - 6, pitch), Qt.AlignmentFlag.AlignRight, name)
        first, shown_month = self._first(), 0
        for column in range(self.weeks):
            monday = first + timedelta(weeks=column)
            if monday.month != shown_month and column < self.weeks - 1:
                shown_month = monday.month
                painter.drawText(LEFT_PX + column * pitch, TOP_PX - 5, f"{monday:%b}")
        painter.setPen(Qt.PenStyle.NoPen)
        for day, state in self.states.items():
            painter.setBrush(self.colour(state))
            painter.drawRoundedRect(self.cell_rect(day), 2, 2)
        self._paint_legend(painter, TOP_PX + 7 * pitch + 6, text)
        painter.end()

    def _paint_legend(self, painter: QPainter, top: int, text: QColor) -> None:
        x = LEFT_PX
        for state in (DONE, MISSED, OPEN):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colour(state))
            painter.drawRoundedRect(QRect(x, top + 2, 10, 10), 2, 2)
            painter.setPen(text)
            word = STATE_WORDS[state]
            painter.drawText(x + 14, top + 11, word)
            x += 24 + painter.fontMetrics().horizontalAdvance(word)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), f"{day:%a %d %b %Y}: {STATE_WORDS[self.states[day]]}", self)
            return True
        return super().event(event)
