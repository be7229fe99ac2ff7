"""Large rule packs generated for measuring how advise scales (tests/test_scale.py, benchmarks/scale.py).

`write_pack(folder, rules)` writes a pack of `rules` rules over 120 facts (int, bool, enum and date, in
turn) and four facts set by rules, with every kind of condition: single tests, `all`, `any`, `not`, `in`,
comparisons with a parameter; every 100th rule suppresses the rule before it (the asserted fact holds a
marker per suppressed rule, and at most 252 properties), every 100th sets a fact that later rules test. Int
facts are compared with about 200 different constants each (10,000 rules). The pack is the same for
the same arguments (a seeded generator). `write_scenario(path)` writes a scenario for it.
"""
from __future__ import annotations

import random
from pathlib import Path

FACTS = 120
ACTIONS = 20
SET_FACTS = 4
KINDS = ("int", "bool", "enum", "date")
COLOURS = ("red", "green", "blue", "white", "black")
PLATFORM = "scalepack"
PER_FILE = 2000  # rules per file


def _fact(index: int) -> str:
    return f"f{index}"


def _test(chance: random.Random) -> str:
    index = chance.randrange(FACTS)
    kind = KINDS[index % len(KINDS)]
    name = _fact(index)
    if kind == "int":
        op = chance.choice(("eq", "ne", "lt", "lte", "gt", "gte"))
        if chance.random() < 0.02:
            return f"{{{name}: {{{op}: {{param: limit}}}}}}"
        return f"{{{name}: {{{op}: {chance.randrange(400)}}}}}"
    if kind == "bool":
        return f"{{{name}: {chance.choice(('true', 'false'))}}}"
    if kind == "enum":
        if chance.random() < 0.3:
            return f"{{{name}: {{in: [{', '.join(chance.sample(COLOURS, 2))}]}}}}"
        return f"{{{name}: {chance.choice(COLOURS)}}}"
    return f"{{{name}: {{{chance.choice(('lt', 'gte'))}: 2026-{chance.randrange(1, 13):02d}-{chance.randrange(1, 29):02d}}}}}"


def _condition(chance: random.Random, number: int) -> str:
    tests = [_test(chance) for _ in range(chance.randrange(1, 4))]
    if number % 100 > 2 and number >= 100 and chance.random() < 0.05:
        tests.append(f"{{s{(number // 100) % SET_FACTS}: true}}")
    shape = chance.random()
    if len(tests) == 1:
        return tests[0]
    if shape < 0.6:
        return f"{{all: [{', '.join(tests)}]}}"
    if shape < 0.85:
        return f"{{any: [{', '.join(tests)}]}}"
    return f"{{all: [{tests[0]}, {{not: {{any: [{', '.join(tests[1:])}]}}}}]}}"


def _rule(chance: random.Random, number: int) -> str:
    lines = [f"  - id: rule-{number}",
             f"    action: a{chance.randrange(ACTIONS)}",
             f"    priority: {chance.randrange(1, 1001)}",
             f"    when: {_condition(chance, number)}",
             f'    message: {{ja: "規則 {number}: {{f0}}", en: "rule {number}: {{f0}}"}}',
             "    because: {ja: 理由, en: why}",
             "    source: s"]
    if number % 100 == 9:
        lines.append(f"    suppresses: [rule-{number - 1}]")
    if number % 100 == 0:
        lines.append(f"    sets: {{s{(number // 100) % SET_FACTS}: true}}")
    return "\n".join(lines) + "\n"


def write_pack(folder: Path, rules: int, seed: int = 12) -> Path:
    """A pack of `rules` rules in `folder` (created), as described in the module docstring."""
    chance = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    actions = "".join(f"  a{i}: {{ja: 行動{i}, en: action {i}}}\n" for i in range(ACTIONS))
    (folder / "pack.yaml").write_text(
        f"id: {PLATFORM}\nname: {{ja: 大きな規則集, en: Large pack}}\nactions:\n{actions}"
        "sources:\n  s: {title: {ja: 出典, en: Source}}\n", encoding="utf-8")
    (folder / "parameters.yaml").write_text(
        "parameters:\n  limit: {value: 100, description: {ja: 上限, en: Limit}, source: s}\n", encoding="utf-8")
    facts = ["facts:"]
    for index in range(FACTS):
        kind = KINDS[index % len(KINDS)]
        extra = f", values: [{', '.join(COLOURS)}]" if kind == "enum" else ""
        facts.append(f"  {_fact(index)}: {{type: {kind}{extra}, description: {{ja: 事実{index}, en: fact {index}}}}}")
    facts += [f"  s{i}: {{type: bool, set_by_rules: true, description: {{ja: 設定{i}, en: set {i}}}}}"
              for i in range(SET_FACTS)]
    (folder / "facts.yaml").write_text("\n".join(facts) + "\n", encoding="utf-8")
    for first in range(0, rules, PER_FILE):  # a file holds at most 1 MiB (load.MAX_BYTES)
        written = "".join(_rule(chance, n) for n in range(first, min(first + PER_FILE, rules)))
        (folder / f"rules-{first // PER_FILE:02d}.yaml").write_text("rules:\n" + written, encoding="utf-8")
    return folder


def write_scenario(path: Path, seed: int = 12) -> Path:
    """A scenario for a generated pack giving about half of the facts."""
    chance = random.Random(seed)
    lines = ["title: 大きな規則集", f"platform: {PLATFORM}", "as_of: 2026-11-25", "facts:"]
    for index in range(0, FACTS, 2):
        kind = KINDS[index % len(KINDS)]
        value = {"int": lambda: str(chance.randrange(200)), "bool": lambda: chance.choice(("true", "false")),
                 "enum": lambda: chance.choice(COLOURS), "date": lambda: "2026-06-15"}[kind]()
        lines.append(f"  {_fact(index)}: {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
