"""A small rule pack written by tests: facts n (int), flag (bool, default false), color (enum), a parameter
limit = 14 (disputed), actions a and b."""
from __future__ import annotations

import textwrap
from pathlib import Path

PACK = """\
id: testpack
name: {ja: テスト, en: Test}
actions:
  a: {ja: A, en: A}
  b: {ja: B, en: B}
sources:
  s: {title: {ja: 出典, en: Source}}
"""

PARAMETERS = """\
parameters:
  limit: {value: 14, description: {ja: 上限, en: Limit}, source: s, disputed: {ja: 異説あり, en: Disputed}}
"""

FACTS = """\
facts:
  n: {type: int, description: {ja: 数, en: Number}}
  flag: {type: bool, default: false, description: {ja: 旗, en: Flag}}
  color: {type: enum, values: [red, green, blue], description: {ja: 色, en: Colour}}
"""


def rule(rule_id: str, when: str, action: str = "a", priority: int = 10) -> str:
    return textwrap.dedent(f"""\
      - id: {rule_id}
        action: {action}
        priority: {priority}
        when: {when}
        message: {{ja: {rule_id}, en: {rule_id}}}
        because: {{ja: なぜ, en: why}}
        source: s
    """)


def make_pack(folder: Path, rules: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    (folder / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (folder / "rules.yaml").write_text("rules:\n" + textwrap.indent("".join(rules), "  "), encoding="utf-8")
    return folder


