"""Every command and every option of the command line has help text and is documented in README.md or docs/*.md
(as sqlite-utils' tests/test_docs.py does): the command as typed (`advise check`) and each long option
spelling (`--fail-level`). The tree is walked from advisor.cli.main, so a new command or option is covered
as soon as it exists."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from advisor.cli import main

ROOT = Path(__file__).parent.parent
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def commands(command: click.Command, name: str = "advise") -> Iterator[tuple[str, click.Command]]:
    """The command as typed, and the command, for `command` and every command under it."""
    yield name, command
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            yield from commands(sub, f"{name} {sub_name}")


COMMANDS = list(commands(main))
# Each command's options as `advise` makes them: click keeps the first help option it builds for a command, so a
# context here must have advise's help option names too (-h, --help), or later tests would lose -h.
OPTIONS = [(name, param) for name, command in COMMANDS
           for param in command.get_params(click.Context(command, **main.context_settings))
           if isinstance(param, click.Option)]
LONG_OPTIONS = [(name, spelling) for name, option in OPTIONS
                for spelling in option.opts + option.secondary_opts if spelling.startswith("--")]



def documented(words: str) -> bool:
    """`words` in the docs, not as the start of a longer name (`--as-of` is not `--as`)."""
    return re.search(re.escape(words) + r"(?![\w-])", DOCS) is not None


def test_the_tree_has_the_default_command_and_the_subcommands():
    assert {name for name, _ in COMMANDS} >= {"advise", "advise run", "advise check", "advise test", "advise rules",
                                              "advise graph", "advise ask"}


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_command_is_documented(name):
    assert documented(name), f"{name} is in neither README.md nor docs/*.md"


@pytest.mark.parametrize("name, option", [
    pytest.param(name, option, id=f"{name} {option.opts[-1]}") for name, option in OPTIONS])
def test_every_option_has_help(name, option):
    assert (option.help or "").strip(), f"{name} {'/'.join(option.opts)} has no help text"


@pytest.mark.parametrize("name, spelling", LONG_OPTIONS, ids=[f"{name} {spelling}" for name, spelling in LONG_OPTIONS])
def test_every_long_option_is_documented(name, spelling):
    assert documented(spelling), f"{spelling} (of {name}) is in neither README.md nor docs/*.md"
