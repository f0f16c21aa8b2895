"""argparse in Dutch: its usage, help and error texts from a small Dutch catalog (for `workbench` and `central`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

# argparse's own texts (Python 3.11-3.13) -> Dutch. The %-placeholders stay as argparse fills them in.
CATALOG = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "not allowed with argument %s": "niet samen met %s",
    "ignored explicit argument %r": "overbodige waarde %r",
    "the following arguments are required: %s": "deze gegevens ontbreken: %s",
    "one of the arguments %s is required": "een van deze gegevens is nodig: %s",
    "expected one argument": "hier hoort een waarde bij",
    "expected at most one argument": "hier hoort hoogstens een waarde bij",
    "expected at least one argument": "hier hoort minstens een waarde bij",
    "ambiguous option: %(option)s could match %(matches)s":
        "onduidelijke optie: %(option)s kan %(matches)s zijn",
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
}
PLURALS = {
    "expected %s argument": ("hier hoort %s waarde bij", "hier horen %s waarden bij"),
}
# Type names argparse puts into "invalid %(type)s value" -> what a person calls them.
TYPE_NAMES = {"(verwacht: int)": "(verwacht: een geheel getal)", "(verwacht: float)": "(verwacht: een getal)",
              "(verwacht: Path)": "(verwacht: een bestandsnaam)", "(verwacht: date)": "(verwacht: een datum)"}

_T = TypeVar("_T")


def dutch(message: str) -> str:
    return CATALOG.get(message, message)


def dutch_plural(singular: str, plural: str, n: int) -> str:
    forms = PLURALS.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


@contextmanager
def _speaking_dutch() -> Iterator[None]:
    """argparse looks its texts up through module globals `_` and `ngettext` at call time: swap them for a while."""
    module: Any = argparse
    before = module._, module.ngettext
    module._, module.ngettext = dutch, dutch_plural
    try:
        yield
    finally:
        module._, module.ngettext = before


def _in_dutch(method: Callable[..., _T]) -> Callable[..., _T]:
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        with _speaking_dutch():
            return method(*args, **kwargs)
    return wrapper


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and errors are Dutch; subclasses set `error` to their own one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _speaking_dutch():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with _speaking_dutch():
            return super().add_subparsers(**kwargs)

    format_usage = _in_dutch(argparse.ArgumentParser.format_usage)
    format_help = _in_dutch(argparse.ArgumentParser.format_help)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with _speaking_dutch():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with _speaking_dutch():
            return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        with _speaking_dutch():
            super().error(plain_error(message))


def plain_error(message: str) -> str:
    """An argparse error with its type names in words."""
    for code, words in TYPE_NAMES.items():
        message = message.replace(code, words)
    return message
