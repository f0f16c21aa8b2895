"""Validation messages at the field they are about: a red line under the field, never a dialog."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ui.widgets.text_style import WARNING, tint
from workbench.errors import ValidationError
from workbench.i18n import _


def message_line(name: str = "") -> QLabel:
    """A hidden, word-wrapped red line; `name` says which field it belongs to (for screen readers)."""
    line = QLabel("")
    line.setObjectName("fieldMessage")
    tint(line, WARNING)
    line.setWordWrap(True)
    line.setAccessibleName(_("Melding bij {name}").format(name=name.replace("&", "").lower()) if name else _("Melding"))
    line.hide()
    return line


def _focus_target(widget: QWidget) -> QWidget:
    return widget.focusProxy() or widget


class FieldErrors:
    """The message lines of one form, keyed by the service's field names (`ValidationError.field`).

    Attributes:
        general: the line for a message about a field this form does not show; None means a dialog.
    """

    def __init__(self, *, general: QLabel | None = None) -> None:
        self.general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add(self, fields: str | Iterable[str], widget: QWidget, line: QLabel) -> None:
        """Show messages about `fields` in `line`; the line hides again as soon as the field is edited."""
        for name in [fields] if isinstance(fields, str) else fields:
            self._fields[name] = (widget, line)
        use_line = getattr(widget, "use_message_line", None)
        if callable(use_line):  # a field that checks itself as it is left (a date) speaks in the same line
            use_line(line)
        target = _focus_target(widget)
        if isinstance(target, QLineEdit):
            target.textEdited.connect(line.hide)
        elif isinstance(target, QPlainTextEdit):
            target.textChanged.connect(line.hide)
        elif isinstance(target, QComboBox):
            target.activated.connect(line.hide)

    def show(self, exc: ValidationError) -> bool:
        """Put the message at its field and move the focus there; False if this form has no place for it."""
        self.clear()
        widget, line = self._fields.get(exc.field or "", (None, self.general))
        if line is None:
            return False
        line.setText(exc.text())
        line.show()
        if widget is not None:
            _focus_target(widget).setFocus()
        return True

    def message(self, field: str) -> str:
        """The message shown at `field` now ("" when none)."""
        _widget, line = self._fields[field]
        return "" if line.isHidden() else line.text()

    def clear(self) -> None:
        lines = {line for _w, line in self._fields.values()}
        if self.general is not None:
            lines.add(self.general)
        for line in lines:
            line.clear()
            line.hide()


def name_choices(combo: QComboBox) -> None:
    """Name a combo box's drop-down list too: a screen reader announces it when it opens."""
    combo.view().setAccessibleName(_("Keuzes voor {name}").format(name=combo.accessibleName().lower()))


def add_field(form: QFormLayout, title: str, widget: QWidget, *, errors: FieldErrors,
              fields: str | Iterable[str]) -> QLabel:
    """A form row: the label (its `&` letter jumps to the field), the field, and its message line under it."""
    plain = title.replace("&", "")
    label = QLabel(title)
    label.setBuddy(_focus_target(widget))
    set_name = getattr(widget, "set_accessible_name", None)
    if callable(set_name):
        set_name(plain)
    elif not widget.accessibleName():
        widget.setAccessibleName(plain)
    if isinstance(widget, QComboBox):
        name_choices(widget)
    line = message_line(plain)
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(line)
    form.addRow(label, box)
    errors.add(fields, widget, line)
    return label
