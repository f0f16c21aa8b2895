"""Editing a parent's details: messages at the field, undo and redo across the fields, Opslaan/Annuleren."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.errors import show_error
from ui.operations import mutate
from ui.widgets.editor_draft import DraftBar, EditorDraftKeeper, saved_when
from ui.widgets.field_errors import FieldErrors, add_field, message_line
from workbench.drafts.service import EditorDraftInfo
from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.parties.service import AANSPREEKVORMEN, CHANNELS, ParentDetail

# (service field, label, placeholder); the order is the tab order.
LINE_FIELDS = (
    ("voornamen", "Voornamen", ""),
    ("voorletters", "Voorletters", "Bijvoorbeeld: J.A."),
    ("tussenvoegsel", "Tussenvoegsel", "Bijvoorbeeld: van der"),
    ("achternaam", "Achternaam", ""),
    ("birth_date", "Geboortedatum", "dd-mm-jjjj"),
    ("street", "Straat", ""),
    ("house_number", "Huisnummer", ""),
    ("postcode", "Postcode", "1234 AB"),
    ("city", "Plaats", ""),
    ("phone", "Telefoon", "06 12345678"),
    ("email", "E-mail", ""),
)
LABELS = {key: label for key, label, _hint in LINE_FIELDS} | {
    "aanspreekvorm": "Aanspreekvorm", "preferred_channel": "Voorkeurskanaal", "language_need": "Taal of tolk",
    "safety_notes": "Veiligheid"}
Field = QLineEdit | QComboBox | QPlainTextEdit


def values_of(detail: ParentDetail) -> dict[str, str]:
    """The detail as the text each field shows."""
    name = detail.name
    return {"voornamen": name.voornamen, "voorletters": name.voorletters, "tussenvoegsel": name.tussenvoegsel,
            "achternaam": name.achternaam, "aanspreekvorm": detail.aanspreekvorm,
            "birth_date": detail.birth_date.strftime("%d-%m-%Y") if detail.birth_date else "",
            "street": detail.street, "house_number": detail.house_number, "postcode": detail.postcode,
            "city": detail.city, "phone": detail.phone, "email": detail.email,
            "preferred_channel": detail.preferred_channel, "language_need": detail.language_need,
            "safety_notes": detail.safety_notes}


class FieldEdit(QUndoCommand):
    """One field changed from `old` to `new`; typing in one field without leaving it is one step."""

    def __init__(self, editor: ParentEditor, field: str, old: str, new: str, session: int) -> None:
        super().__init__(f"{LABELS[field]} wijzigen")
        self.editor, self.field, self.old, self.new, self.session = editor, field, old, new, session

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if isinstance(other, FieldEdit) and other.field == self.field and other.session == self.session:
            self.new = other.new
            return True
        return False

    def undo(self) -> None:
        self.editor.apply(self.field, self.old)

    def redo(self) -> None:
        # On push the field already shows `new`; setting it again would move the cursor.
        if self.editor.value(self.field) != self.new:
            self.editor.apply(self.field, self.new)


class ParentEditor(QWidget):
    """The parent's details as a form; only changed fields are sent to `ws.parents.update`.

    Attributes:
        fields: service field name -> its widget.
        undo_stack: every field change, across fields (Ctrl+Z / Ctrl+Shift+Z in any field).
        errors: the messages at the fields.
        save_button, cancel_button, undo_button, redo_button.
        draft: keeps the changes in the store until they are saved or cancelled (None before `edit`).
        draft_bar: says that changes typed earlier came back.

    Signals:
        saved(object): the ParentDetail as stored.
        closed(): editing ended without saving.
    """

    saved = Signal(object)
    closed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, case_id: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._case_id = case_id
        self.draft: EditorDraftKeeper | None = None
        self.setAccessibleName(_("Gegevens van de ouder wijzigen"))
        self.undo_stack = QUndoStack(self)
        self._original: dict[str, str] = {}
        self._last: dict[str, str] = {}
        self._parent_id = ""
        self._applying = False
        self._session = 0
        self._saving = False
        self.fields: dict[str, Field] = {}
        self._build()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.draft_bar = DraftBar(_("Niet-opgeslagen wijzigingen"))
        self.draft_bar.discard_requested.connect(self.cancel)
        outer.addWidget(self.draft_bar)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.general_message = message_line()
        self.errors = FieldErrors(general=self.general_message)
        for key, label, hint in LINE_FIELDS:
            line = QLineEdit()
            line.setPlaceholderText(hint)
            self._add(form, key, label, line, line.textChanged)
            if key == "achternaam":
                self._add_aanspreekvorm(form)
        channel = QComboBox()
        for code, label in CHANNELS.items():
            channel.addItem(label, code)
        self._add(form, "preferred_channel", LABELS["preferred_channel"], channel, channel.currentIndexChanged)
        language = QLineEdit()
        language.setPlaceholderText(_("Bijvoorbeeld: Turks, tolk nodig"))
        self._add(form, "language_need", LABELS["language_need"], language, language.textChanged)
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setUndoRedoEnabled(False)  # the editor's stack undoes it, in step with the other fields
        notes.setPlaceholderText(_("Bijvoorbeeld: ex-partner mag het adres niet weten"))
        notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 4 + 12)
        self._add(form, "safety_notes", LABELS["safety_notes"], notes, notes.textChanged)
        outer.addLayout(form)
        outer.addWidget(self.general_message)

        self.save_button = QPushButton(_("&Opslaan"))
        self.save_button.setAccessibleName(_("Gegevens opslaan"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(_("&Annuleren"))
        self.cancel_button.setAccessibleName(_("Wijzigen annuleren"))
        self.cancel_button.clicked.connect(self.cancel)
        self.undo_button = QPushButton(_("Ongedaan maken"))
        self.undo_button.setAccessibleName(_("Ongedaan maken"))
        self.undo_button.setToolTip(QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.redo_button = QPushButton(_("Opnieuw"))
        self.redo_button.setAccessibleName(_("Opnieuw doen"))
        self.redo_button.setToolTip(QKeySequence("Ctrl+Shift+Z").toString(QKeySequence.SequenceFormat.NativeText))
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        outer.addLayout(buttons)

    def _add_aanspreekvorm(self, form: QFormLayout) -> None:
        # How every letter greets the parent: "Beste mevrouw Van Nus", or the full name without a title.
        combo = QComboBox()
        for code, label in AANSPREEKVORMEN.items():
            combo.addItem(label, code)
        combo.setAccessibleName(_("Aanspreekvorm in brieven"))
        combo.setToolTip(_("Zo begint elke brief: Beste mevrouw …, Beste meneer …, of Beste met de volledige naam."))
        self._add(form, "aanspreekvorm", LABELS["aanspreekvorm"], combo, combo.currentIndexChanged)

    def _add(self, form: QFormLayout, key: str, label: str, widget: Field, changed: Any) -> None:
        widget.setObjectName(f"parent_{key}")
        add_field(form, label, widget, errors=self.errors, fields=key)
        self.fields[key] = widget
        changed.connect(lambda *_args, k=key: self._on_edited(k))
        widget.installEventFilter(self)

    # -- values --------------------------------------------------------------------------------

    def value(self, key: str) -> str:
        widget = self.fields[key]
        if isinstance(widget, QComboBox):
            return str(widget.currentData())
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def apply(self, key: str, value: str) -> None:
        """Show `value` in the field without recording it as an edit; the field gets the focus."""
        widget = self.fields[key]
        self._applying = True
        try:
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        finally:
            self._applying = False
        self._last[key] = value
        if self.draft is not None:
            self.draft.mark_dirty()  # undo and redo change what a draft must hold
        if self.isVisible():
            widget.setFocus()

    def edit(self, detail: ParentDetail) -> None:
        """Start editing `detail`: fields filled, no undo history, no messages; earlier unsaved changes back."""
        if self.draft is None or self.draft.target_id != detail.id:
            if self.draft is not None:
                self.draft.stop()
            self.draft = EditorDraftKeeper(self.ctx.runner, kind="parent", target_id=detail.id,
                                           case_id=self._case_id, content=self.draft_content, watch=self,
                                           lock=getattr(self.ctx.nav, "lock", None), parent=self)
        self._parent_id = detail.id
        self._original = values_of(detail)
        self.draft_bar.hide()
        with self.draft.quiet():
            for key, value in self._original.items():
                self.apply(key, value)
        self.undo_stack.clear()
        self.errors.clear()
        self.fields["voornamen"].setFocus()
        self.draft.fetch(self._restore_draft)

    def draft_content(self) -> dict[str, Any]:
        changed = self.changed_values()
        return {"values": changed, "fields": sorted(changed)}  # a field emptied on purpose is a change too

    def _restore_draft(self, info: EditorDraftInfo | None) -> None:
        values = info.content.get("values") if info is not None else None
        if info is None or not isinstance(values, dict) or self.dirty or info.target_id != self._parent_id:
            return
        for key, value in values.items():
            if key in self.fields and isinstance(value, str):
                self.apply(key, value)
        when = saved_when(info.saved_at, self.ctx.today())
        self.draft_bar.offer(_("Niet-opgeslagen wijzigingen van {when} zijn teruggezet. Sla ze op of gooi ze weg.")
                             .format(when=when), restore=False)

    def draft_stop(self) -> None:
        if self.draft is not None:
            self.draft.stop()

    def changed_values(self) -> dict[str, str]:
        return {k: self.value(k) for k in self.fields if self.value(k) != self._original.get(k, "")}

    @property
    def dirty(self) -> bool:
        return bool(self.changed_values())

    def _on_edited(self, key: str) -> None:
        if self._applying:
            return
        old, new = self._last.get(key, ""), self.value(key)
        if old == new:
            return
        self._last[key] = new
        self.undo_stack.push(FieldEdit(self, key, old, new, self._session))
        if self.draft is not None:
            self.draft.mark_dirty()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z and Ctrl+Shift+Z in any field go to the editor's stack, not the field's own undo."""
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self._session += 1  # coming back to a field later starts a new undo step
        elif kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            action = _undo_action(event)
            if action is not None:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    (self.undo_stack.undo if action == "undo" else self.undo_stack.redo)()
                return True
        return super().eventFilter(watched, event)

    # -- ending --------------------------------------------------------------------------------

    def save(self) -> None:
        changes = self.changed_values()
        if not changes:
            self.closed.emit()
            return
        if self._saving:
            return
        self._saving = True
        self.errors.clear()
        parent_id = self._parent_id

        def work(ws: Any, uow: Any) -> ParentDetail:
            detail = ws.parents.update(uow, parent_id, **changes)
            ws.drafts.discard(uow, "parent", parent_id)  # one unit of work: saved, or still a draft
            return detail  # type: ignore[no-any-return]

        mutate(self, self.ctx.runner, work).on_success(self._on_saved).on_failure(self._on_failed).run()

    def _on_saved(self, detail: ParentDetail) -> None:
        self._saving = False
        if self.draft is not None:
            self.draft.forget()
        self.draft_bar.hide()
        self._original = values_of(detail)
        self.undo_stack.clear()
        self.saved.emit(detail)

    def _on_failed(self, exc: BaseException) -> None:
        self._saving = False
        if isinstance(exc, ValidationError) and self.errors.show(exc):
            return
        show_error(self, exc)

    def cancel(self) -> None:
        """Annuleren: the typed changes are thrown away, their draft too."""
        with self.draft.quiet() if self.draft is not None else nullcontext():
            for key, value in self._original.items():
                self.apply(key, value)
        if self.draft is not None:
            self.draft.discard()
        self.draft_bar.hide()
        self.undo_stack.clear()
        self.errors.clear()
        self.closed.emit()


def _undo_action(event: QKeyEvent) -> str | None:
    ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
    shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
    if event.matches(QKeySequence.StandardKey.Redo) or (ctrl and shift and event.key() == Qt.Key.Key_Z):
        return "redo"
    if event.matches(QKeySequence.StandardKey.Undo) or (ctrl and not shift and event.key() == Qt.Key.Key_Z):
        return "undo"
    return None
