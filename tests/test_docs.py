"""The documentation keeps up with the code: every setting and every project command is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from obserwatorium import config

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = REPO_ROOT / "src" / "obserwatorium"
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in config.SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", sorted(p.stem for p in PACKAGE.glob("*/management/commands/*.py")
                                          if not p.stem.startswith("_")))
def test_every_command_is_documented(command):
    assert f"`obserwatorium {command}" in README


def test_changelog_entries_name_their_issue():
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    entries: list[str] = []
    for line in changelog.splitlines():
        if line.startswith("- "):
            entries.append(line)
        elif line.startswith("  ") and entries:
            entries[-1] += " " + line.strip()  # an entry may wrap onto indented lines
    assert entries
    assert [entry for entry in entries if "(#" not in entry] == []
