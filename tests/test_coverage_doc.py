"""docs/seed-coverage.md, the map from the seed article and the platform facts to rules and scenarios, names
only rules and scenarios that exist, and every CrowdWorks fact (CW1-CW21) and the Japanese law and help
(JP1-JP3) has its row."""
from __future__ import annotations

import re
from pathlib import Path

from advisor.validate import load_pack

ROOT = Path(__file__).parent.parent
DOC = (ROOT / "docs" / "seed-coverage.md").read_text(encoding="utf-8")
RULES = {rule.id for rule in load_pack(ROOT / "rules" / "crowdworks").rules}


def test_every_scenario_named_exists():
    named = set(re.findall(r"`((?:real/)?[a-z0-9-]+\.yaml)`", DOC))
    assert named and not [name for name in named if not (ROOT / "scenarios" / "crowdworks" / name).is_file()]


def test_every_rule_named_exists():
    # `rule-id`, or `rule-id*` for a family of rules sharing the prefix
    named = {name for name in re.findall(r"`([a-z][a-z0-9-]*-[a-z0-9-]*)\*?`", DOC) if not name.endswith(".yaml")}
    assert not [name for name in named if name not in RULES and not any(r.startswith(name) for r in RULES)]


def test_every_platform_fact_has_a_row():
    rows = set(re.findall(r"^\| (CW\d+|JP\d+)", DOC, re.M)) | set(re.findall(r"^\| CW\d+, (CW\d+)", DOC, re.M))
    wanted = {f"CW{n}" for n in range(1, 22)} | {"JP1"}
    assert wanted <= rows, sorted(wanted - rows)
