"""Entry point of the `workbench` command: parse, dispatch, turn errors into one Dutch line."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from workbench import __version__
from workbench.cli import caseload_command, commands, letters_command, sync_commands
from workbench.cli.dutch_parser import DutchArgumentParser, plain_error
from workbench.errors import UserError
from workbench.profile import default_profile_dir

log = logging.getLogger("workbench")

EXIT_USER = 1
EXIT_USAGE = 2
EXIT_BUG = 70


class _Parser(DutchArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"workbench: fout in de opdracht: {plain_error(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _import_limit_mb() -> int:
    from workbench.dossier.importer import MAX_FILE_BYTES

    return MAX_FILE_BYTES // (1024 * 1024)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="workbench", description="Zaakwerkbank: het werkblad van de pzb'er.")
    p.add_argument("--version", action="version", version=f"zaakwerkbank {__version__}",
                   help="toon het versienummer en stop")
    p.add_argument("--profile", type=Path, default=None, help="profielmap (standaard: de gebruikersmap)")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    init = sub.add_parser("init", help="maak de versleutelde opslag en de sleutel")
    init.add_argument("--demo", action="store_true", help="demoprofiel met sleutelbestand (niet voor echte gegevens)")
    init.add_argument("--user", default="pzb", help="gebruikersnaam op dit apparaat")
    init.add_argument("--name", default="Pzb'er", help="weergavenaam")

    demo = sub.add_parser("demo-data", help="vul met een synthetische caseload")
    demo.add_argument("--cases", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)

    sub.add_parser("stats", help="aantallen per soort gegeven, als JSON")
    search = sub.add_parser("search", help="zaaknummers die passen bij de tekst")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=200)

    export = sub.add_parser("export", help="alle gegevens van een ouder als JSON (AVG-inzage)")
    export.add_argument("--case", required=True, help="zaaknummer, UHT-JJJJ-NNNNNN")
    export.add_argument("--out", type=Path, default=None)

    limit = _import_limit_mb()
    imp = sub.add_parser("import", help=f"een exportbestand inlezen (gewoon bestand, hoogstens {limit} MB)")
    imp.add_argument("file", type=Path, help=f"het exportbestand; hoogstens {limit} MB, geen apparaat of pijp")

    audit = sub.add_parser("audit", help="het auditlogboek")
    audit_sub = audit.add_subparsers(dest="audit_command", parser_class=_Parser)
    audit_sub.add_parser("verify", help="controleer de hashketen")

    sub.add_parser("passwd", help="wijzig het wachtwoord")
    sub.add_parser("rekey", help="versleutel de opslag opnieuw met een nieuwe sleutel")
    sync_commands.add_parsers(sub)
    caseload_command.add_parsers(sub)
    letters_command.add_parsers(sub)
    return p


def field_hint(field: str | None, typed: Sequence[str]) -> str:
    """" [--cases]" or " [Aanhef]": the option the user typed or the field's Dutch label; never a field key.

    An option ("--template") or a label (capitalised, as `letters_input.labelled` makes them) is shown as is; a
    key ("cases") only as the option the user typed for it; any other key ("parent.updated_at") not at all.
    """
    if not field:
        return ""
    if field.startswith("--") or field[:1].isupper():
        return f" [{field}]"
    option = f"--{field.replace('_', '-')}"
    given = any(arg == option or arg.startswith(f"{option}=") for arg in typed)
    return f" [{option}]" if given else ""


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    typed = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(typed)
    if args.command is None:
        # The window will be opened by ui.app, which wraps this entry point (the core never imports Qt).
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "audit" and args.audit_command is None:
        parser.error("audit vraagt een subopdracht: verify")
    folder: Path = args.profile or default_profile_dir()
    try:
        return commands.dispatch(args, folder)
    except UserError as exc:
        print(f"workbench: {exc.text()}{field_hint(exc.field, typed)}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("workbench: afgebroken; er is niets half opgeslagen.", file=sys.stderr)
        return EXIT_USER
    except Exception as exc:  # a bug: log the type only, never values (they may hold personal data)
        log.debug("unexpected error", exc_info=True)
        print(f"workbench: interne fout ({type(exc).__name__}); meld dit bij de beheerder.", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    raise SystemExit(main())
