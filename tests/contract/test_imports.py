"""The core knows nothing of any plugin: no module under forum/ imports ``plugins`` (the
first-party plugins) or ``tests`` (the example plugin), checked by walking the AST, so an
import hidden inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("plugins", "tests")
CORE_MODULES = sorted((ROOT / "forum").rglob("*.py"))


def imported_modules(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                modules.append(str(node.args[0].value))
    return modules


def offending(source: str) -> list[str]:
    return [m for m in imported_modules(source) if m.split(".")[0] in FORBIDDEN]


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_plugins(path):
    assert offending(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_hidden_imports():
    source = "def f():\n    from plugins.sla import x\n    import tests.plugins\n"
    source += "importlib.import_module('plugins.mentoring')\nfrom forum.plugin_system import y\n"
    assert offending(source) == ["plugins.sla", "tests.plugins", "plugins.mentoring"]
