"""argparse in French: its own words (usage, section titles, -h, every error message) and one
error line, as for every user error.

argparse writes its words through ``gettext``: ``from gettext import gettext as _`` (and
``ngettext``) at the top of its module, in the default domain that guichet does not install.
The parser below puts a French translation function in their place while argparse works
(building a parser, parsing, writing the help), and puts the originals back after: the
translation is looked up by argparse's exact English message (its msgid), never guessed from a
formatted line. A message missing here would stay in English: tests/cli/test_cli_french.py reads
argparse's source and checks that every one of its messages has a translation.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

from guichet.cli.common import safe

EXIT_USAGE = 2

# argparse's msgids (Python 3.11-3.13) → French. %-placeholders are kept as they are.
MESSAGES: dict[str, str] = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "optional arguments": "options",  # before Python 3.10
    "subcommands": "commandes",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un de ces arguments est obligatoire : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "interdit avec l'argument %s",
    "ignored explicit argument %r": "valeur donnée à tort, ignorée : %r",
    "unexpected option string: %s": "option inattendue : %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "commande inconnue %(parser_name)r (choix possibles : %(choices)s)",
    "argument \"-\" with mode %r": "argument « - » avec le mode %r",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    # Mistakes in the parser's own definition (a programmer's, never an agent's): French all the same.
    ".__call__() not defined": ".__call__() n'est pas défini",
    "'required' is an invalid argument for positionals": "« required » n'est pas permis pour un argument positionnel",
    "mutually exclusive arguments must be optional": "des arguments mutuellement exclusifs doivent être des options",
    "%r is not callable": "%r n'est pas une fonction",
    "cannot merge actions - two groups are named %r": "fusion impossible : deux groupes s'appellent %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "option %(option)r invalide : elle doit commencer par l'un des caractères %(prefix_chars)r",
    "dest= is required for options like %r": "dest= est obligatoire pour une option comme %r",
    "invalid conflict_resolution value: %r": "valeur de conflict_resolution invalide : %r",
    "cannot have multiple subparser arguments": "un seul groupe de commandes est permis",
    "conflicting subparser: %s": "commande en double : %s",
    "conflicting subparser alias: %s": "alias de commande en double : %s",
}
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("%s valeur attendue", "%s valeurs attendues"),
    ("conflicting option string: %s", "conflicting option strings: %s"): ("option en double : %s",
                                                                          "options en double : %s"),
}

_T = TypeVar("_T")


def translate(message: str) -> str:
    """argparse's ``_()``: the French of one of its messages (an unknown one is left as it is)."""
    return MESSAGES.get(message, message) if isinstance(message, str) else message


def ntranslate(singular: str, plural: str, count: int) -> str:
    """argparse's ``ngettext()``; in French, 0 and 1 take the singular."""
    french = PLURALS.get((singular, plural))
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count <= 1 else french[1]


@contextmanager
def french() -> Iterator[None]:
    """argparse speaks French inside this block (nested blocks are fine; the CLI has one thread)."""
    # Module globals that argparse looks up at each call (typeshed does not declare them: setattr).
    saved = getattr(argparse, "_"), getattr(argparse, "ngettext")  # noqa: B009
    setattr(argparse, "_", translate)  # noqa: B010
    setattr(argparse, "ngettext", ntranslate)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


def _in_french(method: Callable[..., _T]) -> Callable[..., _T]:
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        with french():
            return method(*args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class FrenchHelpFormatter(argparse.HelpFormatter):
    """The help's usage line begins « utilisation : » whoever formats it, and a section title takes
    the space that French puts before a colon (« options : »)."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading} " if heading else heading)

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, MESSAGES["usage: "] if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """argparse in French; a usage error is one line on stderr, « guichet : erreur : … », exit code 2.

    Its subcommands' parsers are of the same class (argparse makes them with ``type(self)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        with french():
            super().__init__(*args, **kwargs)

    add_subparsers = _in_french(argparse.ArgumentParser.add_subparsers)
    add_argument = _in_french(argparse.ArgumentParser.add_argument)
    format_usage = _in_french(argparse.ArgumentParser.format_usage)
    format_help = _in_french(argparse.ArgumentParser.format_help)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with french():  # « unrecognized arguments » is written here, outside parse_known_args
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with french():
            return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        # safe(): the message may quote what was typed, control characters included.
        self.exit(EXIT_USAGE, f"guichet : erreur : {safe(message)} (voir {self.prog} --help)\n")
