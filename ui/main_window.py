"""The main window: sidebar of pages, a stack for case views and the home visit, status bar, lock cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
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

from ui.context import UiContext
from ui.dossier.transfer import DossierTransfer
from ui.help_overlay import HelpOverlay, add_shortcut
from ui.lock import LockController
from ui.lock_screen import LockScreen
from ui.settings_dialog import SettingsDialog
from ui.widgets.editor_draft import EditorDraftKeeper
from workbench.changes import Changes
from workbench.clock import AMSTERDAM
from workbench.i18n import _
from workbench.sync.status import SyncStatus
from workbench.visits.service import VisitDraftInfo
from workbench.workspace import DEMO_BANNER

if TYPE_CHECKING:
    from ui.sync.driver import SyncDriver

PageFactory = Callable[[UiContext], QWidget]


SYNC_STATES = {"online": "Online", "offline": "Offline", "syncing": "Bezig met synchroniseren…",
               "not_enrolled": "Niet gekoppeld aan de centrale"}


def format_last_sync(value: str) -> str:
    """ISO time of the last sync as the handler reads it: "29-11 14:05" in local time."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.astimezone(AMSTERDAM).strftime("%d-%m %H:%M")


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


class MainWindow(QMainWindow):
    """Implements `Navigator`; pages get the context and never see each other.

    Attributes:
        stack: the pages, then whichever case view or visit is open on top.
        help: the F1 overlay; lock_screen: the cover while locked.
    """

    help: HelpOverlay

    def __init__(self, *, context_base: dict[str, object], pages: list[PageSpec],
                 case_view: Callable[[UiContext, str], QWidget],
                 visit_page: Callable[[UiContext, str | None, str | None], QWidget],
                 lock: LockController) -> None:
        super().__init__()
        self.setWindowTitle("Zaakwerkbank")
        self.ctx = UiContext(nav=self, **context_base)  # type: ignore[arg-type]
        self._case_view = case_view
        self._visit_page = visit_page
        self._lock = lock
        self._history: list[QWidget] = []
        self._page_widgets: dict[str, QWidget] = {}

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        if self.ctx.demo:
            banner = QLabel(DEMO_BANNER)
            banner.setObjectName("demoBanner")
            banner.setAccessibleName("Demo-melding")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("#demoBanner { background: #c0392b; color: white; font-weight: bold; "
                                 "padding: 4px; }")
            outer.addWidget(banner)
        body = QHBoxLayout()
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Onderdelen")
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
            self.stack.addWidget(widget)
            item = QListWidgetItem(spec.title)
            item.setToolTip(f"{spec.title} ({spec.shortcut})")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spec.title)
            self.sidebar.addItem(item)
            add_shortcut(self, spec.shortcut, spec.title, lambda k=spec.key: self.show_page(k))
        self.sidebar.currentItemChanged.connect(
            lambda item, _prev: item and self.show_page(item.data(Qt.ItemDataRole.UserRole)))
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
        self._handovers_open: set[str] = set()
        self._sync_state = ("not_enrolled", "")
        self.sync_label = QLabel("")
        self.sync_label.setAccessibleName("Synchronisatie")
        self.sync_button = QPushButton(_("Nu s&ynchroniseren"))
        self.sync_button.setAccessibleName(_("Nu synchroniseren"))
        self.sync_button.setToolTip(_("Nu synchroniseren (Ctrl+Shift+S)"))
        self.sync_button.setEnabled(False)
        self.settings_button = QPushButton(_("&Instellingen"))
        self.settings_button.setAccessibleName(_("Instellingen"))
        self.settings_button.clicked.connect(self.open_settings)
        self.help_button = QPushButton(_("Hulp (F1)"))
        self.help_button.setAccessibleName(_("Hulp bij sneltoetsen"))
        self.help_button.clicked.connect(lambda: self.help.toggle())
        self.lock_button = QPushButton(_("&Vergrendelen (Ctrl+L)"))
        self.lock_button.setAccessibleName("Vergrendelen")
        self.lock_button.clicked.connect(lock.lock)
        self.statusBar().addWidget(self.sync_label, 1)
        self.statusBar().addPermanentWidget(self.sync_button)
        self.statusBar().addPermanentWidget(self.help_button)
        self.statusBar().addPermanentWidget(self.settings_button)
        self.statusBar().addPermanentWidget(self.lock_button)
        lock.add_shortcut(self)
        lock.unlocked.connect(self.refresh_status)
        self.lock_screen = LockScreen(lock, self)
        self.help = HelpOverlay(self)  # last: it lists the shortcuts registered above
        self.ctx.runner.changes_applied.connect(self.on_changes)
        self.sidebar.setCurrentRow(0)
        self.refresh_status()
        self._restore_state()

    # -- Navigator -----------------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        widget = self._page_widgets[name]
        self._close_overlays()
        self.stack.setCurrentWidget(widget)
        row = list(self._page_widgets).index(name)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)
        self.sidebar.setVisible(True)
        widget.setFocus()

    def open_case(self, case_id: str) -> None:
        self._push(self._case_view(self.ctx, case_id))

    def start_visit(self, case_id: str) -> None:
        self._push(self._visit_page(self.ctx, case_id, None), full_window=True)

    def resume_visit(self, draft_id: str) -> None:
        self._push(self._visit_page(self.ctx, None, draft_id), full_window=True)

    def back(self) -> None:
        if not self._history:
            return
        leave = getattr(self._history[-1], "leave", None)  # a page with unsaved typing asks first
        if callable(leave):
            leave(self._pop)
        else:
            self._pop()

    def _pop(self) -> None:
        if not self._history:
            return
        top = self._history.pop()
        close = getattr(top, "before_close", None)
        if callable(close):
            close()
        self.stack.removeWidget(top)
        top.deleteLater()
        self.sidebar.setVisible(not self._history or self.stack.currentWidget() not in self._history)
        if self._history:
            self.stack.setCurrentWidget(self._history[-1])
        self.sidebar.setVisible(True)

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
        """After a crash or a flat battery: offer the newest unfinished home visit back."""
        self.ctx.runner.run(lambda ws, uow: ws.visits.unfinished(uow), done=self._on_unfinished)

    def _on_unfinished(self, drafts: list[VisitDraftInfo]) -> None:
        if not drafts:
            return
        draft = drafts[0]
        saved = draft.saved_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
        box = QMessageBox(QMessageBox.Icon.Question, "Huisbezoek niet afgesloten",
                          f"Het huisbezoek bij zaak {draft.case_reference} is niet afgesloten. Het is het laatst "
                          f"opgeslagen op {saved}. Wilt u verder gaan waar u was?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Verder gaan")
        box.button(QMessageBox.StandardButton.No).setText("Later")
        box.setAccessibleName("Huisbezoek niet afgesloten")
        self.unfinished_prompt = box
        resume = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: button is resume and self.resume_visit(draft.id))
        box.open()

    # -- internals -----------------------------------------------------------------------------

    def _push(self, widget: QWidget, *, full_window: bool = False) -> None:
        self._history.append(widget)
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self.sidebar.setVisible(not full_window)
        widget.setFocus()

    def _close_overlays(self) -> None:
        while self._history:
            top = self._history.pop()
            close = getattr(top, "before_close", None)
            if callable(close):
                close()
            self.stack.removeWidget(top)
            top.deleteLater()

    def _escape(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        elif self._history and not getattr(self._history[-1], "keeps_escape", False):
            self.back()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("outbox") or not changes.empty:
            self.refresh_status()

    def refresh_status(self) -> None:
        self.ctx.runner.run(lambda ws, uow: ws.sync_status.status(uow), done=self._show_status,
                            failed=lambda exc: None)

    def attach_sync(self, driver: SyncDriver) -> None:
        """Show the driver's state in the status bar; stop it while locked; its changes refresh the views."""
        self.sync_driver = driver
        driver.state_changed.connect(self._on_sync_state)
        driver.changes_arrived.connect(self.ctx.runner.changes_applied.emit)
        self.lock_controller.locking.connect(driver.detach)
        self.lock_controller.unlocked.connect(lambda: self.ctx.runner.workspace and
                                              driver.attach(self.ctx.runner.workspace))
        self.sync_button.clicked.connect(driver.sync_now)
        driver.synced.connect(lambda _report: self.offer_handovers())
        add_shortcut(self, "Ctrl+Shift+S", _("Nu synchroniseren"), driver.sync_now)

    def offer_handovers(self) -> None:
        """A case handed to this handler arrived: show its handover summary first, once, until read."""
        from ui.team.handover_dialog import open_handover
        from workbench.sync.client import handover_read, handovers_waiting

        def show(case_ids: list[str]) -> None:
            for case_id in case_ids:
                if case_id in self._handovers_open:
                    continue
                self._handovers_open.add(case_id)

                def wire(dialog: QWidget, case_id: str = case_id) -> None:
                    self.handover_dialogs.append(dialog)
                    dialog.acknowledged.connect(  # type: ignore[attr-defined]
                        lambda _cid, c=case_id: self.ctx.runner.run(lambda _ws, uow: handover_read(uow, c)))
                open_handover(self.ctx.runner, case_id, self, on_open=wire)

        self.ctx.runner.run(lambda _ws, uow: handovers_waiting(uow), done=show, failed=lambda exc: None)

    def _on_sync_state(self, state: str, detail: str) -> None:
        self._sync_state = (state, detail)
        self.sync_label.setToolTip(detail)
        self.refresh_status()

    def _show_status(self, status: SyncStatus) -> None:
        state, _detail = self._sync_state
        if not status.enrolled:
            text = "Niet gekoppeld aan de centrale (alleen op dit apparaat)"
        else:
            text = SYNC_STATES.get(state, "Verbonden")
        last = f" · laatst gesynchroniseerd {format_last_sync(status.last_sync)}" if status.last_sync else ""
        self.sync_label.setText(f"{text}{last} · {status.pending_changes} wijzigingen wachten"
                                f" · {status.open_conflicts} conflicten")
        self.sync_button.setEnabled(status.enrolled)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.lock_screen.resize_to_parent()
        if self.help.isVisible():
            self.help.setGeometry(self.rect())

    def _restore_state(self) -> None:
        saved = QSettings("UHT", "Zaakwerkbank")
        geometry = saved.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._close_overlays()
        for keeper in self.findChildren(EditorDraftKeeper):  # an editor outside a case (a conflict's value)
            keeper.stop()
        QSettings("UHT", "Zaakwerkbank").setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)
