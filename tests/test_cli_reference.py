"""docs/cli.md is what scripts/cli_reference.py prints from the commands' parsers, and every argument is explained."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("cli_reference", REPO_ROOT / "scripts" / "cli_reference.py")
assert SPEC is not None and SPEC.loader is not None
cli_reference = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(cli_reference)


def test_the_cli_reference_is_up_to_date():
    expected = cli_reference.render()
    written = cli_reference.TARGET.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(written.splitlines(keepends=True), expected.splitlines(keepends=True),
                                        "docs/cli.md", "scripts/cli_reference.py"))
    assert not diff, f"docs/cli.md is out of date: run `.venv/bin/python scripts/cli_reference.py --write`\n{diff}"


@pytest.mark.parametrize("name", sorted(cli_reference.project_commands()))
def test_every_argument_of_a_project_command_says_what_it_does(name):
    parser = cli_reference.project_commands()[name]
    assert parser.description, f"`obserwatorium {name}` has no help text"
    unexplained = [action.dest for action in cli_reference.own_actions(parser) if not action.help]
    assert unexplained == [], f"`obserwatorium {name}`: arguments without help: {unexplained}"


def test_the_readme_links_the_cli_reference():
    assert "(docs/cli.md)" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
