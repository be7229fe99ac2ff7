"""Whole numbers and amounts a pack works out beyond ±1,000,000,000,000 (model.MAX_INT), the bound of every value a
scenario or pack writes: `pro_rata: [fee, fee, units]` squares the fee. They have no value, and the scenario is
refused at what made them so, as a date worked out past the calendar is: a chain of squares ended in an internal
error of durable_rules (exit 3), or ran for minutes, or printed an amount of thousands of digits."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from packs import make_pack, rule

from advisor.cli import main

FACTS = """\
facts:
  fee: {type: money, description: {ja: 金額, en: Fee}}
  units: {type: int, description: {ja: 数, en: Units}}
  whole: {type: int, description: {ja: 全体, en: Whole}}
  squared: {type: money, derive: {pro_rata: [fee, fee, units]}, description: {ja: 二乗, en: Squared}}
  fourth: {type: money, derive: {pro_rata: [squared, squared, units]}, description: {ja: 四乗, en: Fourth}}
  scaled: {type: money, derive: {percent_of: [fee, rate]}, description: {ja: 倍, en: Scaled}}
  owed: {type: money, derive: {difference: [debt, fee]}, description: {ja: 残り, en: Owed}}
"""
# 20 squares of the fee (given a whole): 2**20 times its digits, had none of them been refused
CHAIN = "".join(f"  p{n}: {{type: money, derive: {{pro_rata: [{a}, {a}, whole]}}, description: {{ja: p, en: p}}}}\n"
                for n, a in enumerate(["fee", *(f"p{n}" for n in range(19))]))
PARAMETERS = """\
parameters:
  rate: {value: 100, description: {ja: 率, en: Rate}, source: s}
  debt: {value: 0, description: {ja: 負債, en: Debt}, source: s}
"""
ABOVE = {"en": "{name}: {fact}, worked out from {value}, would be more than 1,000,000,000,000, the largest number "
               "advise can hold; no advice can be given for a number this large",
         "ja": "{name}: {value} から計算する {fact} が、advise が扱える最大の数 1,000,000,000,000 を超えます。"
               "これほど大きな数ではアドバイスできません"}
PARAM_ABOVE = {"en": "{name}: with {value}, {fact} would be more than 1,000,000,000,000, the largest number advise "
                     "can hold; no advice can be given for a number this large",
               "ja": "{name}: {value} で計算する {fact} が、advise が扱える最大の数 1,000,000,000,000 を超えます。"
                     "これほど大きな数ではアドバイスできません"}
PARAM_BELOW = {"en": "{name}: with {value}, {fact} would be less than -1,000,000,000,000, the lowest number advise "
                     "can hold; no advice can be given for a number this low",
               "ja": "{name}: {value} で計算する {fact} が、advise が扱える最小の数 -1,000,000,000,000 を下回ります。"
                     "これほど小さな数ではアドバイスできません"}


def pack(tmp_path: Path) -> Path:
    folder = make_pack(tmp_path / "pack", [rule("fourth_known", "{fourth: {present: true}}"),
                                           rule("fee_above", "{all: [{fee: {gt: 1000}}, {fourth: {present: true}}]}",
                                                "b")])
    (folder / "facts.yaml").write_text(FACTS + CHAIN, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    return folder


def run(tmp_path: Path, lang: str, scenario: str, *options: str) -> tuple[int, str, str]:
    path = tmp_path / "s.yaml"
    path.write_text("platform: testpack\nas_of: 2026-11-25\n" + scenario, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", lang, "--rules", str(pack(tmp_path)), *options, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("fee, whole, fact", [(1001, "units", "fourth"), (1000000000000, "whole", "p0")])
def test_a_derived_amount_beyond_any_value_is_refused_at_the_scenario_value_it_is_worked_out_from(tmp_path, lang,
                                                                                                  fee, whole, fact):
    """1001 to the fourth is 1,004,006,004,001; 10**12 squared 20 times had 25 million digits."""
    message = ABOVE[lang].format(name="fee", fact=fact, value=fee)
    assert run(tmp_path, lang, f"facts:\n  fee: {fee}\n  {whole}: 1\n") == \
        (2, "", f"{tmp_path / 's.yaml'}:4:8: {message}\n")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_pinned_parameter_that_takes_an_amount_beyond_any_value_is_refused_at_its_value(tmp_path, lang):
    """10**12 at the pack's 100 percent is 10**12, at the 101 percent pinned under params: more."""
    message = PARAM_ABOVE[lang].format(name="rate", fact="scaled", value=101)
    scenario = "params: {rate: 101}\nfacts:\n  fee: 1000000000000\n"
    assert run(tmp_path, lang, scenario) == (2, "", f"{tmp_path / 's.yaml'}:3:16: {message}\n")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_pack_parameter_that_takes_an_amount_below_any_value_is_refused_at_its_declaration(tmp_path, lang):
    """A debt of -10**12 less a fee of 1: the parameter is the number farthest from any amount, not the fee."""
    folder = pack(tmp_path)
    parameters = folder / "parameters.yaml"
    parameters.write_text(PARAMETERS.replace("value: 0,", "value: -1000000000000,"), encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text("platform: testpack\nas_of: 2026-11-25\nfacts:\n  fee: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", lang, "--rules", str(folder), str(path)])
    message = PARAM_BELOW[lang].format(name="debt", fact="owed", value=-1000000000000)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"{parameters}:3:3: {message}\n")


def test_explain_tries_values_that_would_take_an_amount_beyond_any_value_without_failing(tmp_path):
    """1000 to the fourth is 10**12, the largest number held: fourth_known fires. fee_above's near miss, a fee of
    1001, gives fourth no value: that variant has no advice, and nothing is shown of it."""
    code, out, err = run(tmp_path, "en", "facts:\n  fee: 1000\n  units: 1\n", "--explain")
    assert (code, err) == (0, "")
    assert "fourth = ¥1,000,000 × ¥1,000,000 ÷ 1 = ¥1,000,000,000,000" in out
    assert "fee_above" not in out and not re.search(r"[0-9,]{18}", out)
