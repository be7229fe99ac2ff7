"""The pack at a glance: `advise rules` tables and `advise graph` output, on the bundled CrowdWorks pack.

After a deliberate change to the tables, the graph or the pack, regenerate the golden files and review the diff:
    ADVISE_UPDATE_GOLDEN=1 python -m pytest tests/test_overview.py
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from goldens import assert_golden
from packs import make_pack, rule

from advisor import overview
from advisor.overview import GraphvizMissing, display_width, graph, render_svg, rules_table
from advisor.pipeline import bundled_rules, read_pack
from advisor.validate import load_pack

PACK = read_pack(str(bundled_rules() / "crowdworks"))[0]

MERMAID_NODE = re.compile(r'    (\w+)(?:\(\["|\{\{"|\["|>")(.*)(?:"\]\)|"\}\}|"\])$')
MERMAID_EDGE = re.compile(r'    (\w+) (-->|-\.->|==>|--x)(?:\|"(.*)"\|)? (\w+)$')


def tables(text: str) -> list[list[str]]:
    """The framed tables in `rules_table` output, each as its lines."""
    found: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                found.append([])
            found[-1].append(line)
        previous = line
    return found


def first_column(table: list[str]) -> list[str]:
    return [line.split("|")[1].strip() for line in table[2:]]


def mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """({node id: label}, [(source, arrow, label, target)]); fails on any line that is neither."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes, edges = {}, []
    for line in lines[1:]:
        if node := MERMAID_NODE.fullmatch(line):
            assert node.group(1) not in nodes, line
            nodes[node.group(1)] = node.group(2)
        elif edge := MERMAID_EDGE.fullmatch(line):
            edges.append((edge.group(1), edge.group(2), edge.group(3) or "", edge.group(4)))
        else:
            pytest.fail(f"not a node or an edge: {line!r}")
    return nodes, edges


def node_id(nodes: dict[str, str], label: str, kind: str) -> str:
    (found,) = [key for key, value in nodes.items() if value == label and key.startswith(kind + "_")]
    return found


# --------------------------------------------------------------------------------------------- tables

@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_tables_list_every_rule_action_fact_and_parameter(lang):
    rules, facts, parameters = tables(rules_table(PACK, lang))
    assert first_column(rules) == [r.id for r in sorted(PACK.rules, key=lambda r: (r.priority, r.order))]
    assert {line.split("|")[2].strip() for line in rules[2:]} == {r.action for r in PACK.rules}
    assert first_column(facts) == list(PACK.facts)
    assert first_column(parameters) == list(PACK.parameters)


def test_rules_are_listed_in_advice_order_not_file_order():
    ids = first_column(tables(rules_table(PACK, "en"))[0])
    # ask-for-acceptance (priority 15) is written after the priority-20 and -30 rules in rules.yaml
    assert ids.index("ask-for-acceptance") < ids.index("send-termination-request")
    assert ids[0] == "contract-ended-by-agreement"  # priority 3, first of its priority in the pack
    priorities = [int(line.split("|")[3]) for line in tables(rules_table(PACK, "en"))[0][2:]]
    assert priorities == sorted(priorities)


def test_facts_say_where_their_values_come_from():
    text = rules_table(PACK, "en")
    facts = {line.split("|")[1].strip(): line for line in tables(text)[1][2:]}
    assert "computed: days_since(request_sent_on)" in facts["days_since_request"]
    assert "add_days(request_sent_on, auto_termination_days)" in facts["auto_termination_on"]
    assert ("set by rules: contract-ended-by-agreement, client-request-agreed, hourly-contract-ended-by-agreement, "
            "contract-ended-automatically, client-request-ended-automatically") in facts["contract_ended"]
    assert "fixed price (fixed), paid by the hour (hourly)" in facts["contract_type"] and "the scenario" in facts["contract_type"]


def test_only_disputed_parameters_are_marked():
    parameters = tables(rules_table(PACK, "ja"))[2][2:]
    marked = [line.split("|")[1].strip() for line in parameters if "異説あり" in line]
    assert marked == [name for name, p in PACK.parameters.items() if p.disputed] == ["auto_termination_days"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tables_line_up_and_have_no_trailing_spaces(lang):
    text = rules_table(PACK, lang)
    assert all(line == line.rstrip() for line in text.splitlines())
    for table in tables(text):
        assert len({display_width(line) for line in table}) == 1, table[0]
        # every column divider stands at the same display column on every row
        dividers = {tuple(display_width(line[:i]) for i, char in enumerate(line) if char == "|") for line in table}
        assert len(dividers) == 1, table[0]


def test_japanese_tables_use_japanese_headings():
    text = rules_table(PACK, "ja")
    assert text.startswith("クラウドワークス（crowdworks）\n")
    assert f"ルール（{len(PACK.rules)}件）" in text and "| 優先度 |" in text and "計算：days_since(request_sent_on)" in text
    assert "Priority" not in text and "computed" not in text


def test_wide_characters_count_twice():
    assert (display_width("abc"), display_width("優先度"), display_width("（）")) == (3, 6, 4)


# ---------------------------------------------------------------------------------------------- graph

def test_mermaid_has_a_node_per_fact_parameter_rule_and_action():
    nodes, edges = mermaid(graph(PACK, "mermaid", "en"))
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) for key in nodes)
    rules = [label for key, label in nodes.items() if key.startswith("rule_")]
    assert sorted(rules) == sorted(r.id for r in PACK.rules)
    assert [label for key, label in nodes.items() if key.startswith("fact_")] == list(PACK.facts)
    assert {label for key, label in nodes.items() if key.startswith("action_")} == {t.en for t in PACK.actions.values()}
    assert all(source in nodes and target in nodes for source, _, _, target in edges)


def test_mermaid_edges_run_from_facts_through_rules_to_actions():
    nodes, edges = mermaid(graph(PACK, "mermaid", "en"))
    resubmit = node_id(nodes, "resubmit-with-reasons", "rule")
    assert (node_id(nodes, "client_response", "fact"), "-->", "", resubmit) in edges
    action = node_id(nodes, PACK.actions["resubmit_with_reasons"].en, "action")
    assert (resubmit, "==>", "", action) in edges


def test_mermaid_shows_not_sets_suppresses_and_derivations():
    nodes, edges = mermaid(graph(PACK, "mermaid", "en"))
    fact = lambda name: node_id(nodes, name, "fact")  # noqa: E731
    rule_node = lambda name: node_id(nodes, name, "rule")  # noqa: E731
    # request-contact-prompt holds only while `not: {contract_ended: true}`
    assert (fact("contract_ended"), "-.->", "not", rule_node("request-contact-prompt")) in edges
    assert (fact("contract_ended"), "-->", "", rule_node("unpaid-work-after-termination")) in edges
    assert (rule_node("contract-ended-by-agreement"), "-->", "sets: yes", fact("contract_ended")) in edges
    assert (rule_node("no-rating-after-ignored-request"), "--x", "suppresses", rule_node("low-rating-possible")) in edges
    assert (fact("request_sent_on"), "-->", "days_since", fact("days_since_request")) in edges
    parameter = node_id(nodes, "auto_termination_days = 7 or 14", "parameter")
    assert (parameter, "-->", "add_days", fact("auto_termination_on")) in edges
    assert (parameter, "-->", "", rule_node("wait-for-auto-termination")) in edges


def test_graph_labels_follow_the_language_and_ids_stay_ids():
    ja = graph(PACK, "mermaid", "ja")
    nodes, edges = mermaid(ja)
    assert PACK.actions["escalate_to_support"].ja in nodes.values()
    assert "否定" in {label for _, _, label, _ in edges} and "抑止" in {label for _, _, label, _ in edges}
    assert "report-threats" in nodes.values() and "client_response" in nodes.values()
    assert PACK.actions["escalate_to_support"].en not in ja
    assert graph(PACK, "dot", "ja") == graph(PACK, "dot", "ja")


def dot_statements(text: str) -> tuple[set[str], list[tuple[str, str]]]:
    """A rough DOT reader: checks braces balance outside quoted strings; returns (declared nodes, edges)."""
    depth, quoted, escaped = 0, False, False
    for char in text:
        if quoted:
            quoted, escaped = (not (char == '"' and not escaped)), (char == "\\" and not escaped)
        elif char == '"':
            quoted = True
        elif char in "{}":
            depth += 1 if char == "{" else -1
            assert depth >= 0
    assert (depth, quoted) == (0, False)
    string = r'"(?:[^"\\]|\\.)*"'
    declared = set(re.findall(rf"^    ({string}) \[label=", text, re.M))
    edges = re.findall(rf"^    ({string}) -> ({string})", text, re.M)
    return declared, edges


def test_dot_is_well_formed_and_declares_every_node_it_uses():
    text = graph(PACK, "dot", "ja")
    assert text.startswith('digraph "crowdworks" {\n') and text.endswith("}\n")
    declared, edges = dot_statements(text)
    assert len(declared) == len(PACK.facts) + len(PACK.parameters) + len(PACK.rules) + len(PACK.actions)
    assert edges and all(source in declared and target in declared for source, target in edges)
    assert ('"rule_no_rating_after_ignored_request" -> "rule_low_rating_possible" [label="抑止"') in text
    assert f'label="{PACK.actions["resubmit_with_reasons"].ja}"' in text  # UTF-8 as is


def test_unusual_names_and_titles_are_escaped(tmp_path):
    folder = make_pack(tmp_path / "odd", [rule("a-b", "{n: 1}"), rule("a_b", "{not: {flag: true}}", action="b")])
    pack_yaml = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(
        pack_yaml.replace("a: {ja: A, en: A}", r"""a: {ja: A, en: 'Say "hi" <b>#1</b> & C:\n'}"""), encoding="utf-8")
    pack = load_pack(folder)

    nodes, edges = mermaid(graph(pack, "mermaid", "en"))
    assert [key for key in nodes if key.startswith("rule_")] == ["rule_a_b", "rule_a_b_2"]
    assert nodes["action_a"] == "Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; C:\\n"
    assert ("fact_flag", "-.->", "not", "rule_a_b_2") in edges

    dot = graph(pack, "dot", "en")
    assert r'[label="Say \"hi\" <b>#1</b> & C:\\n"' in dot
    declared, dot_edges = dot_statements(dot)
    assert all(source in declared and target in declared for source, target in dot_edges)
    assert_graphviz_accepts(dot)


def test_an_unknown_graph_format_is_refused():
    with pytest.raises(ValueError, match="mermaid, dot"):
        graph(PACK, "png", "en")


# ------------------------------------------------------------------------------------------------ SVG

def assert_graphviz_accepts(dot: str) -> None:
    """With Graphviz installed, `dot -Tsvg` draws the graph; without it, render_svg says so."""
    if shutil.which("dot"):
        svg = render_svg(dot)
        assert svg.startswith(b"<?xml") and b"<svg" in svg
    else:
        with pytest.raises(GraphvizMissing):
            render_svg(dot)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_render_svg_draws_the_pack_or_says_graphviz_is_missing(lang):
    dot = graph(PACK, "dot", lang)
    assert_graphviz_accepts(dot)
    if shutil.which("dot"):  # the titles reach the picture in the chosen language
        assert PACK.actions["escalate_to_support"].get(lang).encode("utf-8") in render_svg(dot)


def test_without_graphviz_the_message_says_how_to_get_it_or_what_else_works(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("dot must not be run"))
    with pytest.raises(GraphvizMissing) as caught:
        render_svg(graph(PACK, "dot", "en"))
    message = str(caught.value)
    assert "Graphviz is not installed" in message
    for hint in ("apt-get install graphviz", "brew install graphviz", "--format dot", "--format mermaid"):
        assert hint in message
    assert isinstance(caught.value, overview.GraphvizError)


# ---------------------------------------------------------------------------------------------- golden

GOLDEN_CASES = [
    ("crowdworks-rules.en.txt", lambda: rules_table(PACK, "en")),
    ("crowdworks-rules.ja.txt", lambda: rules_table(PACK, "ja")),
    ("crowdworks-graph.en.mmd", lambda: graph(PACK, "mermaid", "en")),
]


@pytest.mark.parametrize("name, output", GOLDEN_CASES, ids=[name for name, _ in GOLDEN_CASES])
def test_output_matches_golden(name, output):
    assert_golden(name, output())
