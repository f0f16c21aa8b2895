"""Two panes side by side when there is room, one above the other when not (large fonts, small screens)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QWidget


class SideBySide(QScrollArea):
    """A splitter of a main pane and a side pane inside a scroll area.

    The scroll area keeps a page's minimum width from forcing the whole window wider (and squeezing the
    sidebar); the splitter turns vertical when the panes do not fit next to each other.

    Attributes:
        splitter: holds `main` then `side`.
    """

    def __init__(self, main: QWidget, side: QWidget, *, stretch: tuple[int, int] = (3, 2),
                 main_chars: int = 70) -> None:
        super().__init__()
        self.main, self.side = main, side
        # Tables report a tiny minimum width; below about this many characters their columns are cut off.
        self.main_chars = main_chars
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(main)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, stretch[0])
        self.splitter.setStretchFactor(1, stretch[1])
        self.splitter.setSizes([stretch[0] * 1000, stretch[1] * 1000])  # kept in proportion when laid out
        self.setWidget(self.splitter)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panes' own widgets take the focus

    def needed_width(self) -> int:
        comfortable = self.fontMetrics().averageCharWidth() * self.main_chars
        return (max(self.main.minimumSizeHint().width(), comfortable) + self.side.sizeHint().width()
                + self.splitter.handleWidth())

    def arrange(self) -> None:
        wide = self.viewport().width() >= self.needed_width()
        want = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != want:
            self.splitter.setOrientation(want)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()
