"""The message catalogs (advisor/locale/): both languages say the same things, and every message the code
can print is in them; a mistake is reported in the language asked for, at the same place."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from packs import make_pack, rule

from advisor.cli import main
from advisor.messages import LOCALE, SCHEMA_TEXTS, catalog, fill

ROOT = Path(__file__).parent.parent
FIELD = re.compile(r"(?<!\{)\{([a-z_]+)\}")
PARTS = sorted(path.stem for path in (LOCALE / "en").glob("*.yaml"))


def fields(text: str) -> list[str]:
    return sorted(FIELD.findall(text.replace("{{", "").replace("}}", "")))


def test_each_language_has_the_same_files():
    assert sorted(p.stem for p in (LOCALE / "ja").glob("*.yaml")) == sorted([*PARTS, SCHEMA_TEXTS])


@pytest.mark.parametrize("part", PARTS)
def test_both_languages_have_the_same_keys_in_the_same_order_and_the_same_placeholders(part):
    en, ja = catalog("en", part), catalog("ja", part)
    assert list(ja) == list(en)
    for key in en:
        assert isinstance(en[key], str) and isinstance(ja[key], str), key
        assert fields(ja[key]) == fields(en[key]), key


def test_a_key_is_defined_in_one_file_only():
    keys = [key for part in PARTS for key in catalog("en", part)]
    assert len(keys) == len(set(keys)) == len(catalog("en"))


def test_japanese_texts_have_no_space_left_by_a_folded_line():
    for key, text in catalog("ja").items():
        assert not re.search(r"[。、）」] |[^\x00-\x7f] [^\x00-\x7f]", text), key


def _keys_in_code() -> tuple[set[str], set[str], set[str], set[str]]:
    """Keys the code asks for (msg("key", ...), say(lang, "key", ...), either key of `"a" if x else "b"`), the
    prefixes and suffixes of keys it builds (say(lang, f"level_{...}")), and every string written in the code."""
    asked, prefixes, suffixes, strings = set(), set(), set(), set()

    def key(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            asked.add(node.value)
        elif isinstance(node, ast.IfExp):
            key(node.body)
            key(node.orelse)
        elif isinstance(node, ast.JoinedStr):  # f"level_{x}" or f"{part}_heading"
            if isinstance(node.values[0], ast.Constant):
                prefixes.add(node.values[0].value)
            if isinstance(node.values[-1], ast.Constant):
                suffixes.add(node.values[-1].value)

    for path in (ROOT / "advisor").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("msg", "say"):
                key(node.args[0 if node.func.id == "msg" else 1])
    return asked, prefixes, suffixes, strings


def test_every_key_the_code_asks_for_is_in_the_catalogs_and_every_key_is_used():
    asked, prefixes, suffixes, strings = _keys_in_code()
    keys = set(catalog("en"))
    assert {"did_you_mean", "test_pass", "test_fail"} <= asked and "level_" in prefixes  # the search works
    assert asked - keys == set()
    # a key is used when the code names it (in a call, or in a table of keys) or builds it from a prefix
    built = [k for k in keys if k.startswith(tuple(prefixes)) or k.endswith(tuple(suffixes))]
    assert {k for k in keys if k not in strings and k not in built} == set()


def _schema_texts() -> set[str]:
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("errorMessage", "title") and isinstance(value, str):
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (ROOT / "rules" / "schemas").glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def test_every_english_text_of_the_schemas_has_a_japanese_translation_and_no_other():
    translated = catalog("ja", SCHEMA_TEXTS)
    assert set(translated) == _schema_texts()
    assert all(isinstance(text, str) and text.strip() and fields(text) == [] for text in translated.values())


def test_a_brace_is_written_doubled():
    assert fill("{{from: {what}}}", {"what": "date"}) == "{from: date}"


# ----------------------------------------------------------------------------------- as users see it

def advise(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


BROKEN = """\
as_of: 2026-11-25
facts:
  contract_type: fixd
  request_sent_on: 2026-11-31
  units_total: "10"
  client_respons: rejected
"""


def test_a_mistake_is_reported_in_the_language_asked_for_at_the_same_place(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(BROKEN, encoding="utf-8")
    code_en, out_en, err_en = advise("--lang", "en", str(scenario))
    code_ja, out_ja, err_ja = advise("--lang", "ja", str(scenario))
    assert (code_en, out_en, code_ja, out_ja) == (2, "", 2, "")
    places = [line.split(": ", 1)[0] for line in err_en.splitlines()]
    assert [line.split(": ", 1)[0] for line in err_ja.splitlines()] == places
    assert err_en != err_ja and not re.search(r"[ぁ-んァ-ン]", err_en) and re.search(r"[ぁ-んァ-ン]", err_ja)


@pytest.mark.parametrize("text, en, ja", [
    ("as_of: 2026-11-25\nfacts:\n  contract_type: fixd\n",
     'contract_type: expected one of fixed price (fixed), paid by the hour (hourly); got "fixd" '
     '(did you mean "fixed"?)', "fixd"),
    ("as_of: 2026-11-25\nfacts: [1\n", "invalid YAML", "YAML"),
    ("as_of: 2026-11-25\nfacts:\n  units_total: \"10個\"\n", 'cannot read "10個" as a whole number', '「10個」'),
])
def test_japanese_diagnostics_keep_names_and_values_as_written(tmp_path, text, en, ja):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    _, _, err_en = advise("--lang", "en", str(scenario))
    _, _, err_ja = advise("--lang", "ja", str(scenario))
    assert err_en.startswith(f"{scenario}:") and err_ja.startswith(f"{scenario}:")
    assert en in err_en and ja in err_ja and re.search(r"[ぁ-んァ-ン一-龥]", err_ja)


def test_check_findings_and_test_results_are_in_japanese_too(tmp_path):
    pack = make_pack(tmp_path / "pack", [rule("r1", "{n: {lt: {param: limit}}}")])  # action b: no rule
    code, out, _ = advise("check", "--lang", "ja", str(pack))
    unread = "はどのルール、文面、下書き、算出するファクトにも読まれていません"  # facts flag and color
    assert (code, out.splitlines()) == (1, [f"{pack / 'facts.yaml'}:3:3: [警告] L206 ファクト flag {unread}",
                                            f"{pack / 'facts.yaml'}:4:3: [警告] L206 ファクト color {unread}",
                                            f"{pack / 'pack.yaml'}:5:3: [警告] L203 アクション b を推奨するルールがありません"])
    code, out, _ = advise("test", "--lang", "ja", str(ROOT / "scenarios" / "crowdworks" / "hourly-accepted.yaml"))
    assert (code, out.splitlines()[0].split()[0], out.splitlines()[-1]) == (0, "合格", "合格 1 件、不合格 0 件")
