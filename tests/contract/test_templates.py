"""Static rules every template obeys (security.md §1.3, §1.4; the helpers' brief):

* the only ``|safe`` (or any other way of switching autoescaping off) is on stored
  ``.cooked`` HTML — everything else a user typed is escaped by Jinja;
* no inline ``<script>`` bodies, no ``<style>`` blocks, no ``on*=`` event handlers, no
  ``style=`` attributes and no ``javascript:`` URLs, all of which the CSP forbids (and would
  silently break in a browser).

The checks read every ``*.html`` under ``templates/``, ``plugins/*/templates/`` and the
example plugin's, using
Jinja's own parser for the autoescaping rule and an HTML parser for the markup rules.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("plugins/*/templates/**/*.html"),
        *ROOT.glob("tests/plugins/*/templates/**/*.html"),  # the example plugin
    ]
)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def unsafe_outputs(source: str) -> list[str]:
    """Places where ``source`` turns autoescaping off for anything but ``<expr>.cooked``."""
    env = Environment(autoescape=True, extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    tree = env.parse(source)
    problems = []
    for node in tree.find_all(nodes.Filter):
        if node.name == "safe":
            target = node.node
            if not (isinstance(target, nodes.Getattr) and target.attr == "cooked"):
                problems.append(f"line {node.lineno}: |safe on something other than .cooked")
    for node in tree.find_all(nodes.FilterBlock):
        if node.filter.name == "safe":
            problems.append(f"line {node.lineno}: {{% filter safe %}}")
    for node in tree.find_all(nodes.ScopedEvalContextModifier):
        problems.append(f"line {node.lineno}: {{% autoescape %}} block")
    for node in tree.find_all(nodes.Call):
        if isinstance(node.node, nodes.Name) and node.node.name in ("Markup", "markup"):
            problems.append(f"line {node.lineno}: Markup() call")
    return problems


class _MarkupChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        names = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.problems.append(f"line {line}: <script> without src")
        if tag == "style":
            self.problems.append(f"line {line}: <style> block")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"line {line}: style= on <{tag}>")
            if value and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.problems.append(f"line {line}: javascript: URL in {name}=")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"line {self.getpos()[0]}: inline script body")


def markup_problems(source: str) -> list[str]:
    """Inline script, inline style and event-handler markup in a template's HTML. Jinja tags
    become spaces (keeping line numbers), so ``<a {% if x %}class="y"{% endif %}>`` parses."""
    html = _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    checker = _MarkupChecker()
    checker.feed(html)
    checker.close()
    return checker.problems


def test_templates_are_found():
    assert len(TEMPLATES) >= 10
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=_ids(TEMPLATES))
def test_only_cooked_html_is_marked_safe(path):
    assert unsafe_outputs(_source(path)) == []


#: E-mail templates are never served under the CSP, and mail clients need inline styles.
PAGE_TEMPLATES = [p for p in TEMPLATES if (ROOT / "templates" / "mail") not in p.parents]


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=_ids(PAGE_TEMPLATES))
def test_no_inline_script_style_or_handlers(path):
    assert markup_problems(_source(path)) == []


def test_grep_agrees_every_safe_is_on_cooked():
    """The plain-text view of the same rule, so a construct the Jinja walk misses (e.g. a
    filter written with odd spacing) still fails."""
    offenders = []
    for path in TEMPLATES:
        for lineno, line in enumerate(_source(path).splitlines(), 1):
            for m in re.finditer(r"([\w.\]\)'\"]+)\s*\|\s*safe\b", line):
                if not m.group(1).endswith(".cooked"):
                    offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert offenders == []


# The checks themselves, on known-bad snippets (so a broken check cannot pass silently). ----


@pytest.mark.parametrize(
    "source",
    [
        "{{ post.title|safe }}",
        "{{ user.bio | safe }}",
        "{{ (post.cooked ~ extra)|safe }}",
        "{% filter safe %}{{ x }}{% endfilter %}",
        "{% autoescape false %}{{ x }}{% endautoescape %}",
        "{{ Markup(x) }}",
    ],
)
def test_unsafe_output_check_catches(source):
    assert unsafe_outputs(source)


def test_unsafe_output_check_allows_cooked():
    assert unsafe_outputs("{{ post.cooked|safe }} {{ p.cooked | safe }}") == []


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<script>\n{{ data|tojson }}\n</script>",
        '<button onclick="go()">x</button>',
        '<div style="color: red">x</div>',
        "<style>p { color: red }</style>",
        '<a href="javascript:void(0)">x</a>',
        '<a {% if x %}onclick="y()"{% endif %}>x</a>',
    ],
)
def test_markup_check_catches(source):
    assert markup_problems(source)


def test_markup_check_allows_external_script_and_jinja_in_tags():
    source = (
        "<script src=\"{{ url_for('static', filename='js/forum.js') }}\" defer></script>\n"
        '<a href="{{ url }}" {% if active %}aria-current="page"{% endif %}>{{ label }}</a>'
    )
    assert markup_problems(source) == []
