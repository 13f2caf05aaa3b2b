"""The `obserwatorium` command: which data folder it uses, and a one-line answer on a database not set up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from obserwatorium import config

REPO_ROOT = Path(__file__).resolve().parents[1]


def _choose(cwd: Path, checkout: Path | None, configured: str = "") -> Path:
    return config.choose_data_dir(configured=configured, cwd=cwd, checkout=checkout, home_default="~/obs-home")


def test_data_folder_rule(tmp_path):
    checkout, elsewhere = tmp_path / "checkout", tmp_path / "elsewhere"
    checkout.mkdir(), elsewhere.mkdir()
    home = Path("~/obs-home").expanduser().resolve()
    # Set explicitly: always that folder.
    assert _choose(elsewhere, checkout, configured=str(tmp_path / "x")) == (tmp_path / "x").resolve()
    # Run in the checkout before `make` ever ran: the checkout's ./var, where `make run` will look too.
    assert _choose(checkout, checkout) == (checkout / "var").resolve()
    # Run elsewhere: the home folder, unless the checkout's var holds data (from `make`).
    assert _choose(elsewhere, checkout) == home
    (checkout / "var").mkdir()
    (checkout / "var" / "secret_key").write_text("k")
    assert _choose(elsewhere, checkout) == (checkout / "var").resolve()
    # A ./var with data in the current directory comes first; an empty one (or /var) does not count.
    (elsewhere / "var").mkdir()
    assert _choose(elsewhere, None) == home
    (elsewhere / "var" / "obserwatorium.sqlite3").write_bytes(b"")
    assert _choose(elsewhere, checkout) == (elsewhere / "var").resolve()


def test_the_package_knows_its_checkout():
    assert config.checkout_dir() == REPO_ROOT


def _run(*args: str, data_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OBS_")}
    env.update(OBS_DATA_DIR=str(data_dir), OBS_SECRET_KEY="test-only")
    return subprocess.run([sys.executable, "-m", "obserwatorium.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", [("import", "values.csv"), ("preset", "demo", "krakow"), ("export", "out")])
def test_a_command_on_a_database_not_set_up_says_what_to_run_in_one_line(tmp_path, command):
    data = tmp_path / "data"
    result = _run(*command, data_dir=data, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "obserwatorium setup" in result.stderr and "Traceback" not in result.stderr
    assert not (data / "obserwatorium.sqlite3").exists()  # no empty database left behind


def test_an_empty_database_file_is_not_set_up_either(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "obserwatorium.sqlite3").write_bytes(b"")
    result = _run("import", "values.csv", data_dir=data, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "obserwatorium setup" in result.stderr


def test_help_works_without_a_database(tmp_path):
    result = _run("preset", "--help", data_dir=tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 0 and "preset" in result.stdout


def test_make_run_takes_a_port():
    result = subprocess.run(["make", "-n", "-C", str(REPO_ROOT), "run", "PORT=8001"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "serve --host 127.0.0.1 --port 8001" in result.stdout
