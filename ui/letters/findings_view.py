"""What the letter check found, shown beside a letter: errors that stop sending, and plain-language warnings."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ui.widgets.text_style import SUBTLE, WARNING, tint
from workbench.i18n import _
from workbench.letters.letter_check import Finding


class FindingsView(QLabel):
    """A short list: "Moet nog worden opgelost" for errors, "Let op" for warnings, or that nothing was found.

    Attributes:
        findings: what is shown now.
    """

    def __init__(self) -> None:
        super().__init__("")
        self.setAccessibleName(_("Controle van de brief"))
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                     | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings: list[Finding] = []
        self.hide()

    def show_findings(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        errors = [f.message for f in findings if f.severity == "error"]
        warnings = [f.message for f in findings if f.severity == "warning"]
        parts: list[str] = []
        if errors:
            parts.append("<b>Moet nog worden opgelost voordat de brief weg kan:</b><ul>"
                         + "".join(f"<li>{escape(m)}</li>" for m in errors) + "</ul>")
        if warnings:
            parts.append("<b>Let op (gewone taal):</b><ul>" + "".join(f"<li>{escape(m)}</li>" for m in warnings)
                         + "</ul>")
        if not parts:
            parts.append("De controle van de brief vond niets.")
        tint(self, WARNING if errors else SUBTLE)
        self.setText("".join(parts))
        plain = "; ".join(errors + warnings) or "De controle van de brief vond niets."
        self.setAccessibleDescription(plain)
        self.show()
