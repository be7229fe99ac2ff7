"""A whole pack at a glance: its rules, facts and parameters as tables (`advise rules`), and as a graph of
facts -> rules -> actions (`advise graph`) in Mermaid, Graphviz DOT, or SVG drawn by Graphviz.

Everything here reads the validated model only; headings and labels come from the locale catalogs, so
the output is in one language. Output is deterministic: the pack's order, and the advice order for rules.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from .conditions import literals, setters
from .diagnostics import Message, msg, os_reason
from .explain import format_parameter, format_range, format_value
from .messages import labelled, rendered, say
from .model import Fact, Pack, Parameter, Rule, Value

GRAPH_FORMATS = ("mermaid", "dot")
SEPARATOR = ", "  # between ids in one cell or label: ids are not language text
DOT_TIMEOUT = 60  # seconds; a pack's graph takes well under one


class GraphvizError(Exception):
    """Graphviz could not draw the graph; `message` says why (GraphvizMissing: `dot` is not on PATH)."""

    def __init__(self, message: Message):
        super().__init__(rendered(message, "en"))
        self.message = message


class GraphvizMissing(GraphvizError):
    def __init__(self) -> None:
        super().__init__(msg("graphviz_missing"))


def advice_order(pack: Pack) -> list[Rule]:
    """The rules in the order advice lists them: priority first, then their order in the pack."""
    return sorted(pack.rules, key=lambda rule: rule.rank)


# --------------------------------------------------------------------------------------------- tables

def parameter_value(parameter: Parameter, lang: str) -> str:
    """Its value, or every sourced value when sources disagree: "7 or 14", with its unit for hours: "24, 48 or 72
    hours"."""
    if parameter.ranged:
        values = format_range(tuple((v.value, None) for v in parameter.variants), parameter.type, lang,
                              parameter.currency)
        return say(lang, "value_hours", hours=values) if parameter.unit == "hours" else values
    return format_parameter(parameter, parameter.value, lang)


def rules_table(pack: Pack, lang: str) -> str:
    """The pack's rules, facts and parameters as three aligned plain-text tables."""
    rules = [[rule.id, rule.action, str(rule.priority), SEPARATOR.join(rule.sources)] for rule in advice_order(pack)]
    facts = [[fact.name, fact.type, say(lang, "range_comma").join(_word(fact, value, lang) for value in fact.values),
              "" if fact.default is None else _word(fact, fact.default, lang),
              _origin(pack, fact.name, lang)]
             for fact in pack.facts.values()]
    parameters = [[p.name, parameter_value(p, lang), say(lang, "disputed_marker") if p.disputed or p.ranged else ""]
                  for p in pack.parameters.values()]
    columns = {
        "rules": ["column_id", "column_action", "column_priority", "column_sources"],
        "facts": ["column_name", "column_type", "column_values", "column_default", "column_origin"],
        "parameters": ["column_name", "column_value", "column_disputed"],
    }
    lines = [say(lang, "overview_heading", name=pack.name.get(lang), id=pack.id)]
    for key, rows in (("rules", rules), ("facts", facts), ("parameters", parameters)):
        lines += ["", say(lang, f"{key}_heading", count=str(len(rows)))]
        lines += _table([say(lang, column) for column in columns[key]], rows)
    return "\n".join(lines) + "\n"


def _word(fact: Fact, value: Value, lang: str) -> str:
    """A value in the facts table; an enum value by its label with the value a rule tests beside it, in every
    language, since rules are written with the values: 「拒否（rejected）」, "refused (rejected)"."""
    if fact.type != "enum":
        return format_value(value, fact.type, lang, fact.currency)
    return labelled(fact.label(value, lang), str(value), lang)


def _origin(pack: Pack, name: str, lang: str) -> str:
    """Where a fact's value comes from: the scenario, a computation, or the rules that set it."""
    fact = pack.facts[name]
    if fact.derive is not None:
        formula = f"{fact.derive.op}({SEPARATOR.join(fact.derive.args)})"
        return say(lang, "origin_derived", formula=formula)
    if fact.set_by_rules:
        return say(lang, "origin_set_by", rules=SEPARATOR.join(rule.id for rule in setters(pack, name)))
    return say(lang, "origin_given")


def display_width(text: str) -> int:
    """Columns a terminal gives the text: East Asian wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table framed by `|`, which is also a Markdown table. The closing `|` keeps every row the same width
    without trailing spaces, even when the last cell is empty."""
    cells = [[cell.replace("|", "\\|") for cell in row] for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths)) + " |"

    return [line(cells[0]), line(["-" * width for width in widths]), *map(line, cells[1:])]


# ---------------------------------------------------------------------------------------------- graph

@dataclass(frozen=True)
class _Node:
    id: str  # a safe identifier in both Mermaid and DOT
    kind: str  # fact | parameter | rule | action
    label: str


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    kind: str  # test | not | derive | action | sets | suppresses
    label: str = ""


def graph(pack: Pack, fmt: str, lang: str) -> str:
    """The pack as a graph: fmt "mermaid" (a flowchart GitHub renders) or "dot" (Graphviz)."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}")
    nodes, edges = _graph(pack, lang)
    return _mermaid(nodes, edges) if fmt == "mermaid" else _dot(pack, nodes, edges)


def _graph(pack: Pack, lang: str) -> tuple[list[_Node], list[_Edge]]:
    ids = _Ids()
    nodes: dict[str, _Node] = {}
    edges: dict[_Edge, None] = {}  # a set that keeps order: a rule may test one fact several times

    def node(kind: str, name: str, label: str) -> str:
        node_id = ids.get(kind, name)
        nodes.setdefault(node_id, _Node(node_id, kind, label))
        return node_id

    def edge(source: str, target: str, kind: str, label: str = "") -> None:
        edges[_Edge(source, target, kind, label)] = None

    def value_node(name: str) -> str:
        """A fact, a parameter, or as_of (the scenario's date, which a derivation may name)."""
        if name in pack.parameters:
            parameter = pack.parameters[name]
            return node("parameter", name, f"{name} = {parameter_value(parameter, lang)}")
        return node("fact", name, name)

    for name in [*pack.facts, *pack.parameters]:
        value_node(name)
    rules = advice_order(pack)
    for rule in rules:
        node("rule", rule.id, rule.id)
    for action, title in pack.actions.items():
        node("action", action, title.get(lang))

    for fact in pack.facts.values():
        if fact.derive is not None:
            for arg in fact.derive.args:
                edge(value_node(arg), ids.get("fact", fact.name), "derive", fact.derive.op)
    for rule in rules:
        edges.update(dict.fromkeys(_rule_edges(pack, rule, ids, lang)))
    return list(nodes.values()), list(edges)


def _rule_edges(pack: Pack, rule: Rule, ids: _Ids, lang: str) -> list[_Edge]:
    """What a rule tests (through a `not` or not), the action it recommends, what it sets and suppresses."""
    rule_id = ids.get("rule", rule.id)
    edges = []
    for literal in literals(rule.when):
        kind, label = ("not", say(lang, "graph_not")) if literal.negated else ("test", "")
        edges.append(_Edge(ids.get("fact", literal.test.fact), rule_id, kind, label))
        if literal.test.param is not None:
            edges.append(_Edge(ids.get("parameter", literal.test.param), rule_id, kind, label))
    edges.append(_Edge(rule_id, ids.get("action", rule.action), "action"))
    edges += [_Edge(rule_id, ids.get("fact", name), "sets",
                    say(lang, "graph_sets", value=_word(pack.facts[name], value, lang)))
              for name, value in rule.sets]
    edges += [_Edge(rule_id, ids.get("rule", other), "suppresses", say(lang, "graph_suppresses"))
              for other in rule.suppresses]
    return edges


class _Ids:
    """Node ids: the kind, then the name with anything but letters, digits and _ replaced, made unique.

    The kind prefix keeps a fact and an action of the same name apart and keeps ids off Mermaid's
    keywords (`end`) and its `o`/`x` edge endings."""

    def __init__(self) -> None:
        self.assigned: dict[tuple[str, str], str] = {}

    def get(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self.assigned:
            base = f"{kind}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"
            candidate, number = base, 2
            while candidate in self.assigned.values():  # rule ids a-b and a_b would otherwise meet
                candidate, number = f"{base}_{number}", number + 1
            self.assigned[key] = candidate
        return self.assigned[key]


# Mermaid: facts are stadiums, parameters hexagons, rules rectangles, actions flags.
_MERMAID_SHAPES = {"fact": ('(["', '"])'), "parameter": ('{{"', '"}}'), "rule": ('["', '"]'), "action": ('>"', '"]')}
_MERMAID_ARROWS = {"test": "-->", "derive": "-->", "not": "-.->", "action": "==>", "sets": "-->",
                   "suppresses": "--x"}


def _mermaid(nodes: list[_Node], edges: list[_Edge]) -> str:
    lines = ["flowchart LR"]
    for node in nodes:
        opening, closing = _MERMAID_SHAPES[node.kind]
        lines.append(f"    {node.id}{opening}{_mermaid_text(node.label)}{closing}")
    for edge in edges:
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"    {edge.source} {_MERMAID_ARROWS[edge.kind]}{label} {edge.target}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes, and characters Mermaid reads as markup, as entity codes."""
    text = " ".join(text.split())
    text = text.replace("#", "#35;")  # first: the codes below start with #
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;")):
        text = text.replace(char, code)
    return text


_DOT_NODES = {"fact": 'shape=ellipse', "parameter": 'shape=hexagon', "rule": 'shape=box',
              "action": 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"'}
_DOT_EDGES = {"test": "", "derive": "", "not": "style=dashed", "action": "penwidth=2",
              "sets": 'color="#1a73e8", fontcolor="#1a73e8"',
              "suppresses": 'style=dotted, arrowhead=tee, color="#d93025", fontcolor="#d93025"'}


def _dot(pack: Pack, nodes: list[_Node], edges: list[_Edge]) -> str:
    lines = [f"digraph {_dot_text(pack.id)} {{", '    charset="UTF-8";', "    rankdir=LR;",
             '    node [fontname="sans-serif"];', '    edge [fontname="sans-serif"];']
    for node in nodes:
        lines.append(f"    {_dot_text(node.id)} [label={_dot_text(node.label)}, {_DOT_NODES[node.kind]}];")
    for edge in edges:
        attributes = [f"label={_dot_text(edge.label)}"] if edge.label else []
        attributes += [_DOT_EDGES[edge.kind]] if _DOT_EDGES[edge.kind] else []
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"    {_dot_text(edge.source)} -> {_dot_text(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    """A DOT quoted string. Backslashes are doubled because DOT reads \\n, \\l, \\N... in labels."""
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ------------------------------------------------------------------------------------------------ SVG

def render_svg(dot_source: str) -> bytes:
    """The graph drawn by Graphviz as SVG. Raises GraphvizMissing when `dot` is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing()
    try:
        done = subprocess.run([dot, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(msg("graphviz_timeout", seconds=DOT_TIMEOUT)) from None
    except OSError as error:
        raise GraphvizError(msg("graphviz_cannot_run", program=dot, reason=os_reason(error))) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", errors="replace").strip()
        raise GraphvizError(msg("graphviz_exit", code=done.returncode, detail=detail))
    return done.stdout
