"""The letter wizard's typed values as an editor draft: kept while typing, offered again, asked about on leaving."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from ui.widgets.editor_draft import DraftBar, EditorDraftKeeper, saved_when
from ui.widgets.unsaved_prompt import ask_unsaved
from workbench.drafts.service import EditorDraftInfo
from workbench.i18n import _
from workbench.letters.templates import load_template

if TYPE_CHECKING:
    from ui.letters.letter_wizard import LetterWizard


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as JSON holds them (dates and amounts are text there already)."""
    loaded: dict[str, Any] = json.loads(json.dumps(values, default=str))
    return loaded


class WizardDraft(QObject):
    """One wizard's draft: `letter` + the concept's id, or `new:<case>` for a letter not saved yet.

    What the wizard fills in itself (defaults from the case, a stored concept) is no draft: only values that
    differ from what was filled are kept, unless they came back from a draft (then all of them are).

    Attributes:
        keeper: writes the draft; bar: the line at the top of the wizard that offers or names it.
    """

    def __init__(self, wizard: LetterWizard) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        self.target = wizard.letter_id or f"new:{wizard.case_id}"
        self.keeper = EditorDraftKeeper(wizard.ctx.runner, kind="letter", target_id=self.target,
                                        case_id=wizard.case_id, content=self.content, watch=wizard,
                                        lock=getattr(wizard.ctx.nav, "lock", None), parent=self)
        self.bar = DraftBar(_("Niet-afgemaakte brief"))
        self.bar.restore_requested.connect(self.restore)
        self.bar.discard_requested.connect(self.discard)
        self._baseline: dict[str, Any] | None = None
        self._restored = False
        self._offered: EditorDraftInfo | None = None
        self._watched: QObject | None = None
        self.keeper.fetch(self._found)

    def content(self) -> dict[str, Any]:
        wizard = self.wizard
        if wizard.template is None or wizard.form is None or self._baseline is None:
            return {}
        values = _plain(wizard.form.values())
        if values == self._baseline and not self._restored:
            return {}
        return {"template_id": wizard.template.id, "values": values}

    def filled(self) -> None:
        """The wizard filled its form itself (a concept, or defaults from the case): typing starts now."""
        form = self.wizard.form
        if form is None:
            return
        if self._baseline is None or not self._restored:
            self._baseline = _plain(form.values())
        if self._watched is not form:  # one connection per form (the form is rebuilt per template)
            self._watched = form
            form.changed.connect(self.keeper.mark_dirty)
        if self._offered is not None and self.wizard.letter_id is not None:
            self.restore()

    def _found(self, info: EditorDraftInfo | None) -> None:
        if info is None or not isinstance(info.content.get("values"), dict):
            return
        self._offered = info
        when = saved_when(info.saved_at, self.wizard.ctx.today())
        if self.wizard.letter_id is not None:  # a concept opened again: its unsaved changes come back at once
            if self._baseline is not None:
                self.restore()
            return
        title = load_template(str(info.content.get("template_id"))).title
        self.bar.offer(_("Er is een niet-afgemaakte brief ({title}) van {when}.").format(title=title, when=when),
                       restore=True)

    def restore(self) -> None:
        info, self._offered = self._offered, None
        if info is None:
            return
        wizard = self.wizard
        values = dict(info.content["values"])
        with self.keeper.quiet():
            if wizard.letter_id is None:
                self._restored = True
                wizard._start_fill(load_template(str(info.content["template_id"])), values)
            elif wizard.form is not None:
                wizard.form.set_values(values)
        self._restored = True
        when = saved_when(info.saved_at, wizard.ctx.today())
        self.bar.offer(_("Niet-opgeslagen tekst van {when} is teruggezet.").format(when=when), restore=False)

    def discard(self) -> None:
        self._offered = None
        self._restored = False
        self.bar.hide()
        self.keeper.discard()

    def saved(self) -> None:
        """The concept was saved, its draft discarded in that unit of work."""
        self.keeper.forget()

    def leave(self, close: Callable[[], None]) -> None:
        """Close the wizard, asking first when typed values are not saved."""
        if not self.content():
            self.keeper.stop()
            close()
            return
        def keep() -> None:
            self.keeper.mark_dirty()
            self.keeper.stop()
            close()

        def drop() -> None:
            self.keeper.discard()
            self.keeper.stop()
            close()

        self.leave_prompt = ask_unsaved(
            self.wizard, _("U heeft in deze brief getypt wat nog niet is opgeslagen. Wat wilt u ermee doen?"),
            comes_back=_("Bewaren voor later: u krijgt het terug als u de brief weer opent."), keep=keep, drop=drop)

