"""The hook specs stay documented and tested (Datasette's two meta-tests), and every page
slot a view asks for is a spec: the drift FlaskBB suffers (templates calling hooks that do
not exist, silently) cannot happen here."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from forum import hookspecs
from forum.plugin_system.slots import PAGE_HOOKS

ROOT = Path(__file__).resolve().parents[2]
HOOK_TESTS = ROOT / "tests" / "core" / "test_hooks.py"
SPECS = sorted(
    name
    for name, value in vars(hookspecs).items()
    if callable(value) and hasattr(value, "forum_spec")
)


def test_there_are_specs():
    assert len(SPECS) >= 20 and "permission_allowed" in SPECS


@pytest.mark.parametrize("name", SPECS)
def test_every_hookspec_is_documented(name):
    spec = getattr(hookspecs, name)
    doc = inspect.getdoc(spec) or ""
    assert doc.startswith("Called"), f"{name}: say when it is called first"
    assert ":returns:" in doc, f"{name}: say what it returns"
    for parameter in inspect.signature(spec).parameters:
        assert f":param {parameter}:" in doc, f"{name}: document {parameter}"
    if spec.forum_spec.get("firstresult"):
        assert "Stops at first non-None result" in doc


def _test_names() -> set[str]:
    tree = ast.parse(HOOK_TESTS.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("name", SPECS)
def test_every_hookspec_has_a_test(name):
    assert f"test_hook_{name}" in _test_names(), f"add test_hook_{name} to {HOOK_TESTS.name}"


def _slot_names_used() -> list[tuple[str, str]]:
    """``(file, name)`` for every ``slot("name", ...)`` call under forum/."""
    used = []
    for path in sorted((ROOT / "forum").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "slot"
            ):
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant), f"{path}: slot names must be literals"
                used.append((str(path.relative_to(ROOT)), first.value))
    return used


def test_every_slot_a_view_asks_for_is_a_page_hook_spec():
    used = _slot_names_used()
    assert len(used) >= 8
    for path, name in used:
        assert name in PAGE_HOOKS, f"{path}: slot {name!r} is not a page hook"
        assert name in SPECS, f"{path}: slot {name!r} has no hook spec"


def test_every_page_hook_is_used_by_some_view():
    assert {name for _, name in _slot_names_used()} == set(PAGE_HOOKS)
