"""The form of one letter template: a widget per field type, values out and in, messages at the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QSpinBox, QTableWidgetItem, QWidget

from ui.visits.date_field import FORMAT, DateField
from ui.widgets.editable_rows import EditableRows
from ui.widgets.field_errors import FieldErrors, add_field, message_line
from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.letters.templates import FieldSpec, Template
from workbench.money import format_euro
from workbench.plans.vocabulary import COMMITMENT_OWNERS

# Text fields that hold sentences rather than a name or a number get a box of several lines.
LONG_TEXT = frozenset({"decision", "facts", "motivation", "account", "reason", "provisional_outcome", "payment",
                       "objection_term", "objection_address", "situation", "consent_scope"})
SUB_TITLES = {"text": "Omschrijving", "label": "Omschrijving", "date": "Datum", "year": "Jaar", "amount": "Bedrag",
              "owner": "Wie doet het"}


def _date_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime(FORMAT)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return dt.date.fromisoformat(value).strftime(FORMAT)  # stored values are ISO dates
    return "" if value is None else str(value)


def _plain(kind: str, value: Any) -> str:
    """A stored or default value as the text a handler would type."""
    if value is None:
        return ""
    if kind == "date":
        return _date_text(value)
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_euro(value)
    return str(value)


class RowsEditor(EditableRows):
    """A list field whose entries have sub-fields (an agreement and its date): one table row per entry."""

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__([SUB_TITLES.get(name, name) for name, _kind in spec.item],
                         add_text=_("Regel toevoegen"), remove_text=_("Regel verwijderen"))
        self.spec = spec
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, self.table.horizontalHeader().ResizeMode.Stretch)
        self.table.setMinimumHeight(self.table.fontMetrics().lineSpacing() * 6)
        self.setFocusProxy(self.table)

    def set_accessible_name(self, name: str) -> None:
        self.table.setAccessibleName(name)
        self.table.setAccessibleDescription(_("Typ in een cel om die te wijzigen; Tab gaat naar de knoppen."))
        self.add_button.setAccessibleName(_("Regel toevoegen aan {name}").format(name=name.lower()))
        self.remove_button.setAccessibleName(_("Gekozen regel verwijderen uit {name}").format(name=name.lower()))

    def add_row(self, values: dict[str, Any] | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, (name, kind) in enumerate(self.spec.item):
            if kind == "owner" or name == "owner":
                self.table.setCellWidget(row, column, self._owner_choice((values or {}).get(name)))
            else:
                self.table.setItem(row, column, QTableWidgetItem(_plain(kind, (values or {}).get(name))))
        self.table.setCurrentCell(row, 0)
        self.changed.emit()

    def _owner_choice(self, code: Any) -> QComboBox:
        """Who keeps the promise, chosen by name (Pzb'er, Gemeente…); the letter stores the code."""
        choice = QComboBox()
        choice.setAccessibleName(_("Wie doet het"))
        for key, label in COMMITMENT_OWNERS.items():
            choice.addItem(label, key)
        choice.setCurrentIndex(max(0, choice.findData(code if code in COMMITMENT_OWNERS else "pzb")))
        choice.currentIndexChanged.connect(lambda _index: self.changed.emit())
        return choice

    def value(self) -> list[dict[str, str]]:
        rows = []
        for row in range(self.table.rowCount()):
            entry = {name: self.cell_text(row, c) for c, (name, _kind) in enumerate(self.spec.item)}
            if any(value for name, value in entry.items() if name != "owner"):  # a chosen owner alone is no line
                rows.append(entry)
        return rows

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for entry in value if isinstance(value, list) else []:
            self.add_row(entry if isinstance(entry, dict) else {})


class LetterForm(QWidget):
    """The fields of `template` except `hidden` ones; `fixed` ones are shown read-only (they come from policy).

    Attributes:
        editors: field name -> its widget; errors: the message lines, keyed by field name.

    Signals:
        changed(): the handler changed a value.
    """

    changed = Signal()

    def __init__(self, template: Template, *, today: Callable[[], dt.date], hidden: frozenset[str] = frozenset(),
                 fixed: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.template = template
        self.setAccessibleName(_("Velden van {title}").format(title=template.title))
        self.errors = FieldErrors(general=message_line())
        self.editors: dict[str, QWidget] = {}
        self._specs: dict[str, FieldSpec] = {}
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in template.fields:
            if spec.name in hidden:
                continue
            editor = self._editor(spec, today=today, fixed=spec.name in fixed)
            self.editors[spec.name], self._specs[spec.name] = editor, spec
            title = spec.label + ("" if spec.required else " (niet verplicht)")
            add_field(form, title, editor, errors=self.errors, fields=spec.name)
            if spec.name in fixed:
                editor.setToolTip(_("Komt uit de beleidsregels die op de datum van de brief gelden; niet te wijzigen."))
        assert self.errors.general is not None
        form.addRow(self.errors.general)

    def _editor(self, spec: FieldSpec, *, today: Callable[[], dt.date], fixed: bool) -> QWidget:
        if spec.type == "date":
            date = DateField(today=today)
            date.changed.connect(self.changed)
            date.line.setReadOnly(fixed)
            date.button.setEnabled(not fixed)
            return date
        if spec.type == "int":
            spin = QSpinBox()
            spin.setRange(0, 1_000_000)
            spin.valueChanged.connect(lambda _v: self.changed.emit())
            return spin
        if spec.type == "list" and spec.item:
            rows = RowsEditor(spec)
            rows.changed.connect(self.changed)
            return rows
        if spec.type == "list" or spec.name in LONG_TEXT:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setReadOnly(fixed)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
            if spec.type == "list":
                box.setPlaceholderText(_("Eén per regel"))
            box.textChanged.connect(self.changed)
            return box
        line = QLineEdit()
        line.setReadOnly(fixed)
        if spec.type == "money":
            line.setPlaceholderText(_("Bijvoorbeeld: 1.234,56"))
        line.textChanged.connect(lambda _t: self.changed.emit())
        return line

    def values(self) -> dict[str, Any]:
        """What the handler typed, as text (the core parses dates and amounts and names a wrong field)."""
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            spec = self._specs[name]
            if isinstance(editor, DateField):
                out[name] = editor.text() or None
            elif isinstance(editor, QSpinBox | RowsEditor):
                out[name] = editor.value()
            elif isinstance(editor, QPlainTextEdit):
                text = editor.toPlainText()
                out[name] = [ln.strip() for ln in text.splitlines() if ln.strip()] if spec.type == "list" else text
            elif isinstance(editor, QLineEdit):
                out[name] = editor.text() or None
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            editor, spec = self.editors.get(name), self._specs.get(name)
            if editor is None or spec is None:
                continue
            if isinstance(editor, DateField):
                editor.line.setText(_date_text(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value or 0))
            elif isinstance(editor, RowsEditor):
                editor.set_value(value)
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText("\n".join(map(str, value)) if isinstance(value, list) else _plain(spec.type, value))
            elif isinstance(editor, QLineEdit):
                editor.setText(_plain(spec.type, value))

    def show_error(self, exc: ValidationError) -> bool:
        """Put the message at its field (`promises[1].date` goes to the promises table); False if not ours."""
        field = (exc.field or "").split("[", 1)[0].split(".", 1)[0]
        if field not in self.editors:
            return False
        return self.errors.show(ValidationError(exc.text(), field=field))

    def message(self, field: str) -> str:
        return self.errors.message(field)
