"""Every plugin in the tree keeps the one-name rule (package, blueprint and URL prefix,
templates, tables, settings, permission and attachment keys, commands, Alembic branch) and
loads beside all the others. Start-up refuses most breaches; these tests also read the files
start-up does not (templates on disk, migration scripts)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from forum.extensions import db
from forum.plugin_system.manager import NAME_RE, RESERVED_NAMES
from tests.contract.databases import plugin_packages

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = plugin_packages()


def _folder(package: str) -> Path:
    return ROOT.joinpath(*package.split("."))


@pytest.fixture
def everything(plugin_app):
    """An app with every plugin in the tree loaded at once."""
    return plugin_app(*PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_plugin_names(package):
    name = package.rsplit(".", 1)[-1]
    assert NAME_RE.match(name) and name not in RESERVED_NAMES


@pytest.mark.parametrize("package", PACKAGES)
def test_templates_live_under_the_plugins_name(package):
    name = package.rsplit(".", 1)[-1]
    templates = _folder(package) / "templates"
    if templates.is_dir():
        assert sorted(p.name for p in templates.iterdir()) == [name]


def _revision_scripts(package: str) -> list[Path]:
    return sorted((_folder(package) / "migrations").glob("*.py"))


def _assignments(path: Path) -> dict:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return values


@pytest.mark.parametrize("package", PACKAGES)
def test_migrations_are_a_branch_named_after_the_plugin(package):
    name = package.rsplit(".", 1)[-1]
    scripts = _revision_scripts(package)
    bases = [s for s in scripts if _assignments(s).get("down_revision") is None]
    if not scripts:
        pytest.skip(f"{name} has no tables")
    assert len(bases) == 1, "one branch per plugin"
    base = _assignments(bases[0])
    assert base["branch_labels"] in ((name,), name, [name])
    assert base.get("depends_on"), "the first revision depends on the core revision it needs"
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        for table in _created_tables(source):
            assert table.startswith(name + "_"), f"{script.name} creates {table}"


def _created_tables(source: str) -> list[str]:
    tables = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "create_table"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            tables.append(node.args[0].value)
    return tables


def test_all_plugins_load_together_and_keep_their_names(everything):
    plugins = everything.extensions["forum.plugins"]
    names = {info.name for info in plugins.extensions}
    assert names == {p.rsplit(".", 1)[-1] for p in PACKAGES}
    for table in db.metadata.tables.values():
        owner = table.info.get("plugin")
        if owner in names:
            assert table.name.startswith(owner + "_")
    for key in [*plugins.permissions, *plugins.attachment_types]:
        prefix = key.split(".", 1)[0]
        assert prefix in names or key in _core_permissions(plugins)
    for rule in everything.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] in names:
            assert rule.rule.startswith("/" + rule.endpoint.split(".", 1)[0] + "/")
    commands = everything.cli.commands["forum"].commands
    for name in names:
        assert name in commands or not _registers_commands(plugins, name)


def _core_permissions(plugins) -> set[str]:
    return {
        p.key
        for answer in plugins.each("register_permissions", only=plugins.core_names)
        for p in answer.value
    }


def _registers_commands(plugins, name: str) -> bool:
    return "register_commands" in plugins.hooks_of(name)
