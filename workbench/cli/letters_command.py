"""The `workbench letters` subcommands: templates, list, draft, preview, submit, approve, reject, issue, batch."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli import passphrase
from workbench.cli.letters_input import child_named, kind_word, labelled, load_facts, parse_sets, template_named
from workbench.cli.letters_listing import STATUS_WORDS, letter_lines
from workbench.errors import NotAllowed, UserError, ValidationError
from workbench.letters.templates import Template, list_templates

if TYPE_CHECKING:
    from workbench.policy.facts import CaseFacts
    from workbench.workspace import UnitOfWork, Workspace


@contextmanager
def _naming(template: Template | None) -> Iterator[None]:
    try:
        yield
    except UserError as exc:
        raise labelled(exc, template) from None


@contextmanager
def _opened(folder: Path) -> Iterator[Workspace]:
    from workbench.cli.commands import _open

    ws = _open(folder)
    try:
        yield ws
    finally:
        ws.close()


def _today() -> dt.date:
    # The command line runs on the system clock (Workspace.open's default), so facts can be read before the store.
    from workbench.clock import SystemClock, today

    return today(SystemClock())


def draft_kwargs(facts: CaseFacts | None) -> dict[str, Any]:
    """How the facts of a besluit (or of a letter that shows amounts) reach LetterService.create_draft and the
    unsaved preview: the one place that knows the service's signature for them. The facts are stored with the
    letter; every amount is computed for the letter date."""
    return {"facts": facts} if facts is not None else {}


def _out_path(path: Path) -> Path:
    from workbench.cli.caseload_command import _target

    checked = _target(path, field="out", suffix=".pdf")
    assert checked is not None
    return checked


def _write_pdf(path: Path, pdf: bytes) -> None:
    from workbench.letters.copies import write_copy

    write_copy(path, pdf, field="out")


def _warn_written(path: Path) -> None:
    from workbench.letters.copies import NOT_ENCRYPTED

    print(f"PDF geschreven naar {path}. {NOT_ENCRYPTED}", file=sys.stderr)


def _save_copy(ws: Workspace, letter_id: str, out: Path) -> None:
    """The stored PDF (issued) or a CONCEPT preview to `out`, audited as an export once it is written."""
    from workbench.letters import copies

    with ws.unit_of_work() as uow:
        copy = copies.copy_of(uow, letter_id, letters=ws.letters)
        _write_pdf(out, copy.pdf)
        copies.record_copy(uow, copy, how="pdf")
    _warn_written(out)


# -- the subcommands ----------------------------------------------------------------------------


def cmd_templates(args: argparse.Namespace, folder: Path) -> int:
    for template in sorted(list_templates(), key=lambda t: t.id):
        print(f"{template.id}\t{kind_word(template)}\t{template.title}")
    return 0


def cmd_list(args: argparse.Namespace, folder: Path) -> int:
    if args.status is not None and args.status not in STATUS_WORDS:
        raise ValidationError(f"Status {args.status!r} bestaat niet; kies uit {', '.join(STATUS_WORDS)}.",
                              field="status")
    with _opened(folder) as ws, ws.unit_of_work() as uow:
        case_id = ws.cases.id_for_reference(uow, args.case) if args.case else None
        lines = letter_lines(uow, case_id=case_id, status=args.status)
    for line in lines:
        print(line)
    return 0


def cmd_draft(args: argparse.Namespace, folder: Path) -> int:
    template = template_named(args.template)
    with _naming(template):
        values = parse_sets(template, args.set)
        facts = load_facts(args.facts, template, today=_today())
        with _opened(folder) as ws, ws.unit_of_work() as uow:
            case_id = ws.cases.id_for_reference(uow, args.case)
            info = ws.letters.create_draft(uow, case_id, template_id=template.id, values=values,
                                           child_id=child_named(uow, case_id, args.child),
                                           **draft_kwargs(facts))
    print(info.id)
    return 0


def cmd_preview(args: argparse.Namespace, folder: Path) -> int:
    out = _out_path(args.out)
    if (args.letter is None) == (args.case is None or args.template is None):
        raise ValidationError("Geef LETTER_ID, of --case en --template samen.", field="letter")
    if args.letter is not None:
        if args.case or args.template or args.set or args.facts or args.child:
            raise ValidationError("Bij LETTER_ID horen geen --case, --template, --set, --facts of --child.",
                                  field="letter")
        with _opened(folder) as ws:
            _save_copy(ws, args.letter, out)
        return 0
    _unsaved_preview(folder, args, out)
    _warn_written(out)
    return 0


def _unsaved_preview(folder: Path, args: argparse.Namespace, out: Path) -> None:
    from workbench.audit.chain import AuditEntry
    from workbench.letters.case_defaults import case_defaults
    from workbench.letters.queries import draft_preview

    template = template_named(args.template)
    with _naming(template):
        values = parse_sets(template, args.set)
        facts = load_facts(args.facts, template, today=_today())
        with _opened(folder) as ws, ws.unit_of_work() as uow:
            case_id = ws.cases.id_for_reference(uow, args.case)
            pdf = draft_preview(uow, case_id, template_id=template.id,
                                values={**case_defaults(uow, case_id, template), **values},
                                child_id=child_named(uow, case_id, args.child), **draft_kwargs(facts))
            _write_pdf(out, pdf)
            # The preview holds the parent's data and has left the encrypted store: audited as an export.
            uow.audit(AuditEntry("export", "letter", "", case_id, detail=(
                f"voorbeeld {template.id} als pdf; sha256={hashlib.sha256(pdf).hexdigest()}; concept")))


def cmd_submit(args: argparse.Namespace, folder: Path) -> int:
    with _opened(folder) as ws, ws.unit_of_work() as uow, _naming(_template_of(ws, uow, args.letter)):
        info = ws.letters.submit(uow, args.letter)
    print(f"Brief {info.reference} ligt nu ter controle.")
    return 0


def _template_of(ws: Workspace, uow: UnitOfWork, letter_id: str) -> Template | None:
    """The letter's template (NotFound for no such letter); None for a template withdrawn since."""
    from workbench.errors import NotFound
    from workbench.letters.templates import load_template

    info = ws.letters.get(uow, letter_id)
    try:
        return load_template(info.template_id)
    except NotFound:
        return None


def _reviewer_only(ws: Workspace) -> None:
    from workbench.staff.models import Role, User

    with ws.unit_of_work() as uow:
        me = uow.session.get(User, uow.actor.user_id)
        if me is None or me.role != Role.REVIEWER:
            raise NotAllowed("Alleen een controleur kan een brief goedkeuren of afkeuren.")


def cmd_approve(args: argparse.Namespace, folder: Path) -> int:
    with _opened(folder) as ws:
        _reviewer_only(ws)
        info, _changes = ws.run(lambda uow: ws.approve_letter(uow, passphrase.current(), args.letter))
    print(f"Brief {info.reference} is goedgekeurd.")
    return 0


def cmd_reject(args: argparse.Namespace, folder: Path) -> int:
    with _opened(folder) as ws:
        _reviewer_only(ws)
        ws.confirm_passphrase(passphrase.current())
        with ws.unit_of_work() as uow:
            info = ws.letters.reject(uow, args.letter, comment=args.comment)
    print(f"Brief {info.reference} is afgekeurd en terug naar de schrijver als concept.")
    return 0


def cmd_issue(args: argparse.Namespace, folder: Path) -> int:
    out = _out_path(args.out) if args.out is not None else None
    with _opened(folder) as ws:
        with ws.unit_of_work() as uow:
            template = _template_of(ws, uow, args.letter)  # no such letter: say so before asking again
        with _naming(template):
            info, _changes = ws.run(lambda uow: ws.issue_letter(uow, passphrase.current(), args.letter))
        if info.status != "issued":
            # The rules in force changed since approval: nothing was sent, the letter is back in review.
            print(f"workbench: brief {info.reference} is niet verstuurd. {info.review_comment}", file=sys.stderr)
            return 1
        print(f"Brief {info.reference} is verstuurd en vastgelegd.")
        if out is not None:
            _save_copy(ws, info.id, out)
    return 0


def cmd_batch(args: argparse.Namespace, folder: Path) -> int:
    from workbench.cli.letters_batch import run_batch

    return run_batch(args, folder, opened=_opened, naming=_naming)


Handler = Callable[[argparse.Namespace, Path], int]
HANDLERS: dict[str, Handler] = {
    "templates": cmd_templates, "list": cmd_list, "draft": cmd_draft, "preview": cmd_preview,
    "submit": cmd_submit, "approve": cmd_approve, "reject": cmd_reject, "issue": cmd_issue, "batch": cmd_batch,
}


def run(args: argparse.Namespace, folder: Path) -> int:
    """`workbench letters ...`: options are checked before the passphrase is asked where they can be."""
    command = getattr(args, "letters_command", None)
    if command is None:
        raise UserError(f"letters vraagt een subopdracht: {', '.join(HANDLERS)}.", field="letters")
    with _naming(None):
        return HANDLERS[command](args, folder)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    letters = sub.add_parser("letters", help="brieven en besluiten: maken, bekijken, controleren, versturen")
    commands = letters.add_subparsers(dest="letters_command", parser_class=type(letters))
    commands.add_parser("templates", help="één regel per sjabloon: id, soort (besluit|brief), titel")

    listing = commands.add_parser("list", help="één regel per brief: id, zaak, sjabloon, status, datum")
    listing.add_argument("--case", help="alleen de brieven van deze zaak (UHT-JJJJ-NNNNNN)")
    listing.add_argument("--status", help=f"alleen deze status: {', '.join(STATUS_WORDS)}")

    sets = dict(action="append", metavar="VELD=WAARDE",
                help="een veld invullen; herhaalbaar. Datum als dd-mm-jjjj, bedrag als 30.000,00, "
                     'een lijst als JSON: ["eerste", "tweede"]')
    facts = dict(type=Path, metavar="BESTAND.json",
                 help="de feiten van een besluit (CaseFacts als JSON: bedragen in centen, datums jjjj-mm-dd)")
    child = dict(metavar="NAAM", help="het kind voor wie een brief aan een kind is (kindregeling): naam of id")
    draft = commands.add_parser("draft", help="maak een concept; velden komen uit de zaak; drukt het id af")
    draft.add_argument("--case", required=True, help="zaaknummer, UHT-JJJJ-NNNNNN")
    draft.add_argument("--template", required=True, help="sjabloon-id (zie: letters templates)")
    draft.add_argument("--set", **sets)
    draft.add_argument("--facts", **facts)
    draft.add_argument("--child", **child)

    preview = commands.add_parser("preview", help="de brief als PDF; een concept draagt het watermerk CONCEPT")
    preview.add_argument("letter", nargs="?", metavar="LETTER_ID")
    preview.add_argument("--case", help="zaaknummer, met --template: een voorbeeld zonder op te slaan")
    preview.add_argument("--template", help="sjabloon-id")
    preview.add_argument("--set", **sets)
    preview.add_argument("--facts", **facts)
    preview.add_argument("--child", **child)
    preview.add_argument("--out", type=Path, required=True, help="PDF-bestand, .pdf (niet versleuteld)")

    commands.add_parser("submit", help="bied een concept aan ter controle").add_argument("letter", metavar="LETTER_ID")
    commands.add_parser("approve", help="keur goed (controleur; vraagt het wachtwoord opnieuw)").add_argument(
        "letter", metavar="LETTER_ID")
    reject = commands.add_parser("reject", help="keur af met toelichting (controleur; vraagt het wachtwoord opnieuw)")
    reject.add_argument("letter", metavar="LETTER_ID")
    reject.add_argument("--comment", required=True, help="waarom de brief terug moet")
    issue = commands.add_parser("issue", help="verstuur een goedgekeurde brief (vraagt het wachtwoord opnieuw)")
    issue.add_argument("letter", metavar="LETTER_ID")
    issue.add_argument("--out", type=Path, default=None, help="ook een kopie als PDF-bestand (niet versleuteld)")

    batch = commands.add_parser("batch", help="een concept en een voorbeeld-PDF per zaak in een fase")
    batch.add_argument("--template", required=True, help="sjabloon-id (een brief, geen besluit)")
    batch.add_argument("--phase", required=True, help="fasecode, bijvoorbeeld eerste_toets")
    batch.add_argument("--set", **sets)
    batch.add_argument("--out", type=Path, required=True, help="map voor de PDF-bestanden (niet versleuteld)")
