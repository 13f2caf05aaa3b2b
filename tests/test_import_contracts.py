"""The import contracts, in the suite: the pure packages import no Django, no web and no app of the site.

`make lint` checks the same rule with import-linter (`[tool.importlinter]` in pyproject.toml); this test walks the
source itself, so that every import counts (inside functions and `TYPE_CHECKING` blocks too) and an app added
later is forbidden without being listed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import obserwatorium

PACKAGE = Path(obserwatorium.__file__).parent
# Each pure package and what of the project it may import besides itself.
PURE = {"analytics": {"downloads", "vocabulary"}, "downloads": {"analytics", "vocabulary"}}
FORBIDDEN_OUTSIDE = ("django", "ninja")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module an import statement of the source names (relative ones resolved against `module`)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[:-node.level]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module or "")
    return names


def breaches(package: str, names: set[str]) -> list[str]:
    """The imported modules that the pure `package` may not import."""
    allowed = {package, *PURE[package]}
    found = []
    for name in sorted(names):
        parts = name.split(".")
        if parts[0] in FORBIDDEN_OUTSIDE:
            found.append(name)
        elif parts[0] == "obserwatorium" and (len(parts) < 2 or parts[1] not in allowed):
            found.append(name)
    return found


def _modules(package: str) -> list[tuple[str, Path]]:
    return [(".".join(["obserwatorium", *path.relative_to(PACKAGE).with_suffix("").parts]), path)
            for path in sorted((PACKAGE / package).rglob("*.py"))]


@pytest.mark.parametrize("package", sorted(PURE))
def test_a_pure_package_imports_nothing_of_django_or_the_apps(package):
    found = {module: breaches(package, imported_modules(path.read_text(encoding="utf-8"), module))
             for module, path in _modules(package)}
    assert {module: names for module, names in found.items() if names} == {}
    assert found, f"{package} has no modules"


def test_the_walk_sees_every_kind_of_import():
    source = ("import django.db\nfrom ninja import Router\nfrom ..web import files\n"
              "from obserwatorium.downloads.meta import TableMeta\nfrom . import growth\n"
              "def f():\n    from obserwatorium.indicators.models import Observation\n")
    names = imported_modules(source, "obserwatorium.analytics.aggregate")
    assert breaches("analytics", names) == ["django.db", "ninja", "obserwatorium.indicators.models",
                                            "obserwatorium.web"]
