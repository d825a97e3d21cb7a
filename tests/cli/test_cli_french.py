"""The command line speaks French: every command's help, every option's help, argparse's own
words (usage, section titles, -h) and its error messages, in one line with exit code 2."""

from __future__ import annotations

import argparse
import ast
import inspect
import re
from collections.abc import Iterator

import pytest

from guichet.cli import main as cli

# argparse's English, as it would show through: none of these may appear in guichet's output.
ENGLISH = (
    "usage:", "Usage", "positional arguments", "optional arguments", "show this help", "help message",
    "show program's version", "error:", "invalid choice", "choose from", "the following arguments are required",
    "unrecognized arguments", "expected one argument", "expected at most", "expected at least",
    "ambiguous option", "could match", "not allowed with", "ignored explicit", "unknown parser", "invalid int value",
    "invalid float value", "value:", "subcommands", "is required", "(see ", "expected a", "got ", "out of range",
)


def _argparse_messages() -> list[tuple[str, ...]]:
    """Every message argparse passes to ``_()`` or ``ngettext()``, read from its source."""
    found: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            texts = tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
            if texts:
                found.append(texts)
    return found


def test_every_message_of_argparse_has_a_french_translation() -> None:
    from guichet.cli import french

    messages = _argparse_messages()
    assert len(messages) > 30  # the reading works
    for texts in messages:
        if len(texts) == 2:
            assert texts in french.PLURALS, texts
        else:
            assert texts[0] in french.MESSAGES, texts[0]
    # 'subcommands' is passed to _() as a default value, not a literal call: translated all the same
    assert french.translate("subcommands") == "commandes"


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%(?:\(\w+\))?[sr]", text))


def test_a_translation_keeps_the_placeholders() -> None:
    from guichet.cli import french

    for english, translated in french.MESSAGES.items():
        assert _placeholders(translated) == _placeholders(english), english
    for (singular, plural), (one, many) in french.PLURALS.items():
        assert _placeholders(one) == _placeholders(singular) and _placeholders(many) == _placeholders(plural)


def test_plural_translations() -> None:
    from guichet.cli import french

    singular, plural = "expected %s argument", "expected %s arguments"
    assert french.ntranslate(singular, plural, 1) == "%s valeur attendue"
    assert french.ntranslate(singular, plural, 2) == "%s valeurs attendues"
    assert french.ntranslate("x %s", "xs %s", 2) == "xs %s"  # an unknown message: argparse's own


def test_argparse_is_left_as_it_was_after_the_block() -> None:
    from guichet.cli import french

    before = getattr(argparse, "_"), getattr(argparse, "ngettext")  # noqa: B009
    with french.french(), french.french():
        assert getattr(argparse, "_") is french.translate  # noqa: B009
    assert (getattr(argparse, "_"), getattr(argparse, "ngettext")) == before  # noqa: B009
    cli.build_parser().format_help()
    assert getattr(argparse, "_") is before[0]  # noqa: B009


# -- the help ------------------------------------------------------------------------------------
def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


ALL = [path for path, _ in _parsers(cli.build_parser())]


def test_every_command_is_listed() -> None:
    assert len(ALL) > 20 and ("handoff", "new") in ALL and ("db", "check") in ALL and ("demo",) in ALL


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) or "guichet" for p in ALL])
def test_every_command_and_option_has_a_french_help(path: tuple[str, ...]) -> None:
    parser = dict(_parsers(cli.build_parser()))[path]
    assert parser.description and parser.description.strip(), f"{path}: no description"
    for action in parser._actions:
        assert action.help and action.help.strip(), f"{path}: {action.option_strings or action.dest} has no help"
        for english in ENGLISH:
            assert english not in action.help, (path, action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and choice.help.strip(), f"{path}: {choice.dest} has no help"


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) or "guichet" for p in ALL])
def test_help_is_french(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*path, "--help"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"utilisation : guichet{''.join(' ' + p for p in path)} [-h]")
    assert "-h, --help            afficher cette aide et quitter" in out
    assert "\noptions :\n" in out
    for english in ENGLISH:
        assert english not in out, (english, out)


def test_a_positional_argument_is_under_a_french_title(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["hours", "--help"]) == 0
    out = capsys.readouterr().out
    assert "\narguments positionnels :\n  AGENCE" in out
    assert "--json                sortie JSON" in out


# -- errors --------------------------------------------------------------------------------------
ERRORS = {  # name: (argv, words of the French line)
    "unknown-command": (["horaires"], "argument COMMANDE : choix invalide : 'horaires' (choix possibles : 'hours'"),
    "missing-option": (["slots", "--kind", "gca"], "arguments obligatoires manquants : --channel"),
    "missing-action": (["handoff"], "arguments obligatoires manquants : ACTION"),
    "missing-positional": (["cancel"], "arguments obligatoires manquants : NUMÉRO"),
    "invalid-choice": (["slots", "--kind", "ts", "--channel", "agence"], "argument --kind : choix invalide : 'ts'"),
    "unknown-option": (["hours", "--bogus"], "arguments inconnus : --bogus"),
    "unknown-option-after-command": (["search", "apl", "--limite", "3"], "arguments inconnus : --limite"),
    "bad-number": (["search", "apl", "--limit", "dix"], "argument --limit : nombre entier attendu, reçu 'dix'"),
    "bad-record": (["cancel", "abc"], "argument NUMÉRO : numéro attendu"),
    "bad-instant": (["hours", "--at", "demain"], "argument --at : date et heure attendues au format AAAA-MM-JJTHH:MM"),
    "bad-year": (["hours", "--at", "0001-01-01T10:00"], "argument --at : "),
    "bad-day": (["day", "--agency", "nanterre", "--date", "30/11/2026"], "date attendue au format AAAA-MM-JJ"),
    "value-missing": (["search", "apl", "--limit"], "argument --limit : une valeur est attendue"),
    "bad-speed": (["demo", "walk-in-hours", "--vitesse", "vite"], "argument --vitesse/--speed : un nombre est attendu"),
    "handoff-status": (["handoff", "status", "1", "finie"], "argument STATUT : choix invalide : 'finie'"),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_an_error_is_one_french_line_with_exit_code_2(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, words = ERRORS[name]
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("guichet : erreur : "), err
    assert words in err, err
    assert err.rstrip().endswith("--help)")
    for english in ENGLISH:
        assert english not in err, (english, err)


def test_a_typed_control_character_is_shown_not_sent(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["hours", "--x\x1b]52;c;aGk=\x07"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]52" in err and err.count("\n") == 1
