"""The main window: sidebar of pages, a stack for case views and the home visit, status bar, lock cover."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ui.context import UiContext
from ui.dossier.transfer import DossierTransfer
from ui.help_overlay import HelpOverlay, add_shortcut
from ui.lock import LockController
from ui.lock_screen import LockScreen
from ui.settings_dialog import SettingsDialog
from ui.sync.restored_notice import show_central_restored
from ui.sync_status_bar import SyncStatusBar
from ui.visits.unfinished_prompt import offer_unfinished_visit
from ui.widgets.editor_draft import EditorDraftKeeper
from ui.window_geometry import restore_geometry, save_geometry
from workbench.i18n import _, ngettext
from workbench.workspace import DEMO_BANNER

if TYPE_CHECKING:
    from ui.sync.driver import SyncDriver

PageFactory = Callable[[UiContext], QWidget]


@dataclass(frozen=True)
class PageSpec:
    """A sidebar page: key, Dutch title, shortcut, how to build it, and the roles that see it (None: all)."""

    key: str
    title: str
    shortcut: str
    build: PageFactory
    roles: frozenset[str] | None = None

    def shown_to(self, role: str) -> bool:
        return self.roles is None or role in self.roles


@dataclass(frozen=True)
class _Opened:
    """A case view or visit opened over the page: whether it takes the whole window, and where the keyboard was."""

    widget: QWidget
    full_window: bool
    focus_below: QWidget | None


class MainWindow(QMainWindow):
    """Implements `Navigator`; pages get the context and never see each other.

    Pages stay alive while a case or visit is open over them, so Terug finds them as they were (typed filter,
    chosen row, search results, scroll position); `_show_current` is the one place that sets the stack and the
    sidebar, so the sidebar always names the page shown (or the page the open case was opened from).

    Attributes:
        stack: the pages, then whichever case view or visit is open on top.
        help: the F1 overlay; lock_screen: the cover while locked.
        sync_status: the status bar's sync line; sync_label, sync_button: its line and its button.
    """

    help: HelpOverlay

    def __init__(self, *, context_base: dict[str, object], pages: list[PageSpec],
                 case_view: Callable[[UiContext, str], QWidget],
                 visit_page: Callable[[UiContext, str | None, str | None], QWidget],
                 lock: LockController) -> None:
        super().__init__()
        self.setWindowTitle(_("Zaakwerkbank"))
        self.ctx = UiContext(nav=self, **context_base)  # type: ignore[arg-type]
        self._case_view = case_view
        self._visit_page = visit_page
        self._lock = lock
        self._opened: list[_Opened] = []  # what Terug closes, the newest last
        self._page_widgets: dict[str, QWidget] = {}
        self._titles: dict[str, str] = {}
        self._page_key = pages[0].key  # the sidebar page shown, or under what is open

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        if self.ctx.demo:
            banner = QLabel(DEMO_BANNER)
            banner.setObjectName("demoBanner")
            banner.setAccessibleName(_("Demo-melding"))
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("#demoBanner { background: #c0392b; color: white; font-weight: bold; "
                                 "padding: 4px; }")
            outer.addWidget(banner)
        body = QHBoxLayout()
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName(_("Onderdelen"))
        self.sidebar.setMaximumWidth(240)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setStyleSheet("#sidebar { background: #eef1f4; border: none; } "
                                   "#sidebar::item { padding: 10px 12px; } "
                                   "#sidebar::item:selected { background: #1f5f8b; color: white; }")
        self.stack = QStackedWidget()
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        for spec in pages:
            widget = spec.build(self.ctx)
            self._page_widgets[spec.key] = widget
            self._titles[spec.key] = spec.title
            self.stack.addWidget(widget)
            item = QListWidgetItem(spec.title)
            item.setToolTip(_("{title} ({shortcut})").format(title=spec.title, shortcut=spec.shortcut))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spec.title)
            self.sidebar.addItem(item)
            add_shortcut(self, spec.shortcut, spec.title, partial(self.show_page, spec.key))
        self.sidebar.currentItemChanged.connect(self._on_sidebar_current)
        self.sidebar.itemClicked.connect(self._on_sidebar_click)
        add_shortcut(self, "Alt+Left", _("Terug"), self.back)
        add_shortcut(self, "F1", _("Deze hulp tonen of sluiten"), lambda: self.help.toggle())
        add_shortcut(self, "Ctrl+,", _("Instellingen"), self.open_settings)
        self.transfer = DossierTransfer(self.ctx.runner, self, self.statusBar().showMessage)
        menu = self.menuBar().addMenu(_("Gegevens"))
        menu.addAction(_("Dossier &importeren…"), QKeySequence("Ctrl+I"), self.transfer.ask_import)
        menu.addAction(_("Dossier van de open zaak &exporteren…"), QKeySequence("Ctrl+E"), self.export_open_case)
        add_shortcut(self, "Escape", _("Terug"), self._escape)

        self.lock_controller = lock
        self.sync_driver: SyncDriver | None = None
        self.handover_dialogs: list[QWidget] = []
        self.erased_notice: QMessageBox | None = None
        self.unfinished_prompt: QMessageBox | None = None
        self.sync_status = SyncStatusBar(self.ctx.runner, self)
        self.sync_status.conflicts_counted.connect(self._show_conflict_badge)
        self.sync_label, self.sync_button = self.sync_status.label, self.sync_status.button
        self.settings_button = QPushButton(_("&Instellingen"))
        self.settings_button.setAccessibleName(_("Instellingen"))
        self.settings_button.clicked.connect(self.open_settings)
        self.help_button = QPushButton(_("Hulp (F1)"))
        self.help_button.setAccessibleName(_("Hulp bij sneltoetsen"))
        self.help_button.clicked.connect(lambda: self.help.toggle())
        self.lock_button = QPushButton(_("&Vergrendelen (Ctrl+L)"))
        self.lock_button.setAccessibleName(_("Vergrendelen"))
        self.lock_button.clicked.connect(lock.lock)
        self.statusBar().addPermanentWidget(self.help_button)
        self.statusBar().addPermanentWidget(self.settings_button)
        self.statusBar().addPermanentWidget(self.lock_button)
        lock.add_shortcut(self)
        lock.unlocked.connect(self.refresh_status)
        self.lock_screen = LockScreen(lock, self)
        self.help = HelpOverlay(self)  # last: it lists the shortcuts registered above
        self.sidebar.setCurrentRow(0)
        self.refresh_status()
        restore_geometry(self)

    # -- Navigator -----------------------------------------------------------------------------

    @property
    def _history(self) -> list[QWidget]:
        """The case views and visits open over the page, the newest last."""
        return [opened.widget for opened in self._opened]

    def show_page(self, name: str) -> None:
        leave = getattr(self._opened[-1].widget, "leave", None) if self._opened else None
        if callable(leave):  # a case with unsaved typing asks first; the sidebar marks what is shown meanwhile
            self._show_current()
            leave(lambda: self._show_page_now(name))
        else:
            self._show_page_now(name)

    def _show_page_now(self, name: str) -> None:
        self._close_overlays(showing=name)
        self._page_widgets[name].setFocus()

    def open_case(self, case_id: str) -> None:
        self._push(self._case_view(self.ctx, case_id), focus_below=self._focus_in_shown())

    def start_visit(self, case_id: str) -> None:
        self._push(self._visit_page(self.ctx, case_id, None), full_window=True, focus_below=self._focus_in_shown())

    def resume_visit(self, draft_id: str) -> None:
        self._push(self._visit_page(self.ctx, None, draft_id), full_window=True,
                   focus_below=self._focus_in_shown())

    def back(self) -> None:
        """Close what is on top and show what was under it as it was; a visit that ends shows its case."""
        if not self._opened:
            return
        leave = getattr(self._opened[-1].widget, "leave", None)  # a page with unsaved typing asks first
        if callable(leave):
            leave(self._pop)
        else:
            self._pop()

    def _pop(self) -> None:
        if not self._opened:
            return
        top = self._opened.pop()
        close = getattr(top.widget, "before_close", None)
        if callable(close):
            close()
        case_id = getattr(top.widget, "returns_to_case", None)
        under = self._opened[-1].widget if self._opened else None
        if case_id and getattr(under, "case_id", None) != case_id:
            self._push(self._case_view(self.ctx, case_id), focus_below=top.focus_below)
        else:
            self._show_current()
            below = top.focus_below
            if below is not None and isValid(below) and below.isVisible():
                below.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self._focus_shown()
        self.stack.removeWidget(top.widget)  # after: removing the shown widget would show another first
        top.widget.deleteLater()

    def export_open_case(self) -> None:
        case_id = getattr(self._history[-1], "case_id", None) if self._history else None
        if case_id is None:
            self.statusBar().showMessage(_("Open eerst een zaak om het dossier te exporteren."), 5000)
            return
        self.transfer.ask_export(case_id)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx.settings, self)
        self.settings_dialog = dialog
        dialog.open()

    def offer_unfinished_visits(self) -> None:
        """After a crash or a flat battery: offer the newest unfinished home visit back (`unfinished_prompt`)."""

        def shown(box: QMessageBox) -> None:
            self.unfinished_prompt = box

        offer_unfinished_visit(self, self.ctx.runner, resume=self.resume_visit, shown=shown)

    # -- internals -----------------------------------------------------------------------------

    def _focus_in_shown(self) -> QWidget | None:
        """The widget with the keyboard in what is shown now: it gets it back when Terug returns here."""
        focus = QApplication.focusWidget()
        shown = self.stack.currentWidget()
        return focus if focus is not None and shown is not None and shown.isAncestorOf(focus) else None

    def _push(self, widget: QWidget, *, full_window: bool = False, focus_below: QWidget | None) -> None:
        self._opened.append(_Opened(widget, full_window, focus_below))
        self.stack.addWidget(widget)
        self._show_current()
        widget.setFocus()

    def _show_current(self) -> None:
        """The one place that sets what is shown (the top of what is open, else the page) and the sidebar."""
        top = self._opened[-1] if self._opened else None
        self.stack.setCurrentWidget(top.widget if top else self._page_widgets[self._page_key])
        row = list(self._page_widgets).index(self._page_key)
        if self.sidebar.currentRow() != row:
            blocked = self.sidebar.blockSignals(True)  # the sidebar follows; it does not navigate again
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(blocked)
        self.sidebar.setVisible(top is None or not top.full_window)

    def _on_sidebar_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_page(item.data(Qt.ItemDataRole.UserRole))

    def _on_sidebar_click(self, item: QListWidgetItem) -> None:
        """A click on the page marked while a case is open over it shows that page itself."""
        if self._opened:
            self.show_page(item.data(Qt.ItemDataRole.UserRole))

    def _focus_shown(self) -> None:
        shown = self.stack.currentWidget()
        if shown is not None:
            shown.setFocus()

    def _close_overlays(self, *, showing: str | None = None) -> None:
        """Close every case view and visit (each saves first), then show the page `showing` (else the page)."""
        closing = [opened.widget for opened in reversed(self._opened)]
        for widget in closing:
            close = getattr(widget, "before_close", None)
            if callable(close):
                close()
        self._opened.clear()
        if showing is not None:
            self._page_key = showing
        self._show_current()
        for widget in closing:
            self.stack.removeWidget(widget)
            widget.deleteLater()

    def _escape(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        elif self._history and not getattr(self._history[-1], "keeps_escape", False):
            self.back()

    def refresh_status(self) -> None:
        """Read the sync figures again (the sync line also does so after every change)."""
        self.sync_status.refresh()

    def attach_sync(self, driver: SyncDriver) -> None:
        """Show the driver's state in the status bar; stop it while locked; its changes refresh the views."""
        self.sync_driver = driver
        self.ctx.sync = driver  # network calls of pages (reassigning) run on its thread
        driver.state_changed.connect(self._on_sync_state)
        driver.changes_arrived.connect(self.ctx.runner.changes_applied.emit)
        self.lock_controller.locking.connect(driver.detach)
        self.lock_controller.unlocked.connect(
            lambda: driver.attach(self.ctx.runner.workspace) if self.ctx.runner.workspace else None)
        self.sync_button.clicked.connect(driver.sync_now)
        driver.synced.connect(lambda _report: self.offer_handovers())
        driver.device_erased.connect(self.show_device_erased)
        driver.synced.connect(lambda report: show_central_restored(self, report))
        add_shortcut(self, "Ctrl+Shift+S", _("Nu synchroniseren"), driver.sync_now)

    def show_device_erased(self, reason: str) -> None:
        """Central revoked this device and its profile is gone: say why, then close the window."""
        self.ctx.runner.detach()  # the workspace was erased; nothing may use it any more
        self.stack.setEnabled(False)
        self.sidebar.setEnabled(False)
        self.sync_status.show_revoked(reason)
        box = QMessageBox(QMessageBox.Icon.Critical, _("Apparaat ingetrokken"), reason,
                          QMessageBox.StandardButton.Ok, self)
        box.setAccessibleName(_("Apparaat ingetrokken"))
        box.finished.connect(lambda _result: self.close())
        self.erased_notice = box
        box.open()

    def offer_handovers(self) -> None:
        """Cases someone else handed to this user arrived: list them all on one non-modal page, until read."""
        from ui.team.handover_dialog import offer_handovers

        current = self.handover_dialogs[-1] if self.handover_dialogs else None
        offer_handovers(self.ctx.runner, self, self.handover_dialogs.append, self.open_case,
                        current=current)  # type: ignore[arg-type]

    def _on_sync_state(self, state: str, detail: str) -> None:
        """The driver's state, for the sync line."""
        self.sync_status.show_state(state, detail)

    def _show_conflict_badge(self, count: int) -> None:
        """The Conflicten item carries the number of open conflicts, so they are seen from every page."""
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) != "conflicts":
                continue
            title = self._titles["conflicts"]
            item.setText(f"{title} ({count})" if count else title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         ngettext("{title}, {n} open conflict", "{title}, {n} open conflicten", count)
                         .format(title=title, n=count) if count else title)
            font = item.font()
            font.setBold(count > 0)
            item.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.lock_screen.resize_to_parent()
        if self.help.isVisible():
            self.help.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._close_overlays()
        for keeper in self.findChildren(EditorDraftKeeper):  # an editor outside a case (a conflict's value)
            keeper.stop()
        save_geometry(self)
        super().closeEvent(event)
