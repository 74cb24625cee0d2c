"""The README's command table and stage list say what the command line does."""

import re
from pathlib import Path

import pytest

from polycorpus.cli import COMMANDS
from polycorpus.cli import main as cli
from polycorpus.pipeline import ordered_stages

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
ROWS = [m.group(1) for m in re.finditer(r"^\| (`polycorpus .*?) \| ", README, re.M)]


def usages():
    """(argv prefix, flags) of every usage the command table shows (``a / b`` cells hold several)."""
    for cell in ROWS:
        for usage in re.findall(r"`([^`]+)`", cell):
            words = usage.removeprefix("polycorpus ").split()
            prefix = [words[0]] + ([words[1]] if words[0] == "evaluate" else [])
            for sub in prefix[-1].split("\\|"):  # evaluate alignment\|citations
                yield prefix[:-1] + [sub], sorted(set(re.findall(r"--[a-z][a-z-]*", usage)))


USAGES = list(usages())


def help_text(argv, capsys):
    with pytest.raises(SystemExit):
        cli([*argv, "--help"])
    return capsys.readouterr().out


def test_the_table_shows_every_command():
    assert {argv[0] for argv, _ in USAGES} == set(COMMANDS)


@pytest.mark.parametrize("argv, flags", USAGES, ids=[" ".join(a) for a, _ in USAGES])
def test_every_flag_the_table_shows_is_the_command_s(argv, flags, capsys):
    text = help_text(argv, capsys)
    assert [flag for flag in flags if flag not in text] == []


def test_the_build_row_names_the_stages_in_their_order(capsys):
    stages = [s.name for s in ordered_stages()]
    assert f"--stages {','.join(stages)}" in README
    assert ", ".join(stages) in " ".join(help_text(["build"], capsys).split())


def test_help_opens_with_what_polycorpus_does(capsys):
    text = help_text([], capsys)
    assert "multilingual scholarly articles" in text and "add_arguments" not in text
