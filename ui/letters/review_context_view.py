"""Beside a letter in review: the facts behind its amounts, the case's promises and a story summary, or plainly
"Niet zichtbaar voor uw rol" where this role does not receive them (never a zero that is really unknown)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from ui.widgets.text_style import WARNING as WARNING_HEX
from workbench.i18n import _, ngettext
from workbench.letters.review_context import HIDDEN, ReviewContext


def _hidden(what: str) -> str:
    return f"<p><b>{escape(_(HIDDEN))}</b>: {escape(what)}</p>"


def context_html(context: ReviewContext) -> str:
    """The context as one document: facts first (the amounts are what the reviewer checks), then the case."""
    parts = [f"<h3>{escape(_('Feiten achter de bedragen'))}"
             + (f" ({escape(context.scheme)})" if context.scheme else "") + "</h3>"]
    if context.facts:
        parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in context.facts) + "</ul>")
    else:
        parts.append(f"<p>{escape(_('Bij deze brief zijn geen feiten voor een berekening opgeslagen.'))}</p>")
    parts.append(f"<h3>{escape(_('Toezeggingen in de zaak'))}</h3>")
    if context.promises is None:
        parts.append(_hidden(_("een controleur krijgt de toezeggingen van de zaak niet. Vraag ze zo nodig aan de "
                               "schrijver van de brief.")))
    elif not context.promises:
        parts.append(f"<p>{escape(_('Er lopen geen toezeggingen in deze zaak.'))}</p>")
    else:
        rows = "".join(
            f"<tr><td>{escape(p.description)}</td><td>{escape(p.promised_by)}</td><td>"
            + (f'<b style="color:{WARNING_HEX}">⚠ {p.due_on:%d-%m-%Y}, te laat</b>' if p.overdue
               else f"{p.due_on:%d-%m-%Y}") + "</td></tr>" for p in context.promises)
        parts.append(f"<table cellspacing='0' cellpadding='3' width='100%'><tr><th align='left'>{_('Wat')}</th>"
                     f"<th align='left'>{_('Wie')}</th><th align='left'>{_('Uiterlijk')}</th></tr>{rows}</table>")
    parts.append(f"<h3>{escape(_('Verhaal van de ouder'))}</h3>")
    if context.story is None or context.story_total is None:
        parts.append(_hidden(_("een controleur krijgt het verhaal van de ouder niet. Vraag de schrijver van de "
                               "brief als u meer moet weten.")))
    elif not context.story_total:
        parts.append(f"<p>{escape(_('Er staat nog niets in het verhaal.'))}</p>")
    else:
        total = ngettext("{n} gesprek of notitie", "{n} gesprekken en notities", context.story_total)
        parts.append(f"<p>{escape(total.format(n=context.story_total))}; "
                     f"{escape(_('de nieuwste eerst:'))}</p><ul>"
                     + "".join(f"<li><b>{s.day:%d-%m-%Y} · {escape(s.kind)}</b>: {escape(s.text)}</li>"
                               for s in context.story) + "</ul>")
    return "".join(parts)


class ReviewContextView(QTextBrowser):
    """The context of the selected letter, read-only and scrollable with the keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Achtergrond bij de brief"))
        self.setOpenLinks(False)
        self.context: ReviewContext | None = None
        self.clear_context()

    def show_context(self, context: ReviewContext) -> None:
        self.context = context
        self.setHtml(context_html(context))

    def clear_context(self, *, letters_waiting: bool = True) -> None:
        """No letter selected: a hint to choose one, or nothing when the queue is empty (the queue says so)."""
        self.context = None
        if letters_waiting:
            self.setHtml(f"<p>{escape(_('Kies een brief om de feiten en de zaak erachter te zien.'))}</p>")
        else:
            self.clear()
