"""Template rules that keep a page from failing on an empty optional field."""

from __future__ import annotations

import re
from pathlib import Path

import obserwatorium

SOURCE = Path(obserwatorium.__file__).parent
# `{{ a|default:b.c }}` resolves its argument even when `a` is set, and a lookup through an empty relation
# (`b` is None) raises: the page answers 500. `{% firstof a b.c "—" %}` says the same and never fails.
VARIABLE_DEFAULT = re.compile(r"\|default(?:_if_none)?:(?![\"'_\d])([\w.]+)")


def test_no_template_gives_default_a_variable_argument():
    found = [f"{path.relative_to(SOURCE)}:{number}: {match.group(0)}"
             for path in sorted(SOURCE.rglob("templates/**/*")) if path.is_file()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             for match in VARIABLE_DEFAULT.finditer(line)]
    assert found == []
