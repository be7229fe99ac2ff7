"""The words of the shipped CrowdWorks pack, read by people in a bad moment: Japanese texts without English
words, no honorific for one's own withdrawal, nothing that reads as a count of one ("全1件")."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.validate import load_pack

ROOT = Path(__file__).parent.parent
PACK = load_pack(ROOT / "rules" / "crowdworks")
# Names a Japanese reader sees in Latin letters on the platforms themselves.
ALLOWED = {"LINE"}


def japanese_texts() -> list[tuple[str, str]]:
    """(where, text) for every Japanese sentence of advice: rule texts, drafts, action titles, parameter notes
    and labels, source titles."""
    found = [(f"rule {r.id}", text.ja) for r in PACK.rules for text in (r.message, r.because)]
    found += [(f"draft {name}", text.ja) for name, d in PACK.drafts.items() for text in (d.subject, d.body) if text]
    found += [(f"action {name}", title.ja) for name, title in PACK.actions.items()]
    found += [(f"parameter {name}", text.ja) for name, p in PACK.parameters.items()
              for text in (p.description, p.disputed, p.note, *(v.label for v in p.variants)) if text]
    found += [(f"source {name}", s.title.ja) for name, s in PACK.sources.items()]
    return found


@pytest.mark.parametrize("where, text", japanese_texts(), ids=lambda value: value if " " in value else "")
def test_japanese_advice_has_no_english_words(where, text):
    # placeholders, what the user fills in (〈…〉) and addresses are not words of the text
    prose = re.sub(r"\{[^}]*\}|〈[^〉]*〉|https?://\S+", "", text)
    assert set(re.findall(r"[A-Za-z]{2,}", prose)) <= ALLOWED, where


def test_ones_own_withdrawal_is_not_honoured():
    assert not [where for where, text in japanese_texts() if "ご辞退" in text]


def test_one_deliverable_is_not_counted_as_all_of_one(tmp_path):
    scenario = tmp_path / "one.yaml"
    for total, delivered in ((2, 1), (1, 1), (1, 0)):
        scenario.write_text(f"as_of: 2026-11-25\nfacts: {{work_started: true, units_total: {total}, "
                            f"units_delivered: {delivered}, fee: 10000, last_delivered_on: 2026-11-24}}\n",
                            encoding="utf-8")
        result = CliRunner().invoke(main, ["--lang", "ja", "--drafts", str(scenario)])
        assert result.exit_code == 0 and "全1件" not in result.stdout, (total, delivered)
