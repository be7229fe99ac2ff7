"""Enum labels (facts.yaml `labels:`) as a user meets them: a scenario may give an enum fact by its label in
either language, in any case and width, and gets the same advice as with the value; the output shows labels (in
English beside the value where they differ); a wrong word is answered with the words accepted, in the language
asked for; a pack's labels that would make a typed word ambiguous are refused at their line, in both languages.
Japanese sentences of the catalogs use full-width punctuation."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.messages import LOCALE, SCHEMA_TEXTS, catalog

ROOT = Path(__file__).parent.parent

SCENARIO = """\
title: 拒否された
as_of: 2026-11-25
facts:
  work_started: true
  request_sent_on: 2026-11-10
  client_response: {response}
  units_total: 10
  units_delivered: 5
  fee: 50000
"""


def advise(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def scenario(tmp_path: Path, response: str) -> str:
    path = tmp_path / "situation.yaml"
    path.write_text(SCENARIO.format(response=response), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------------------------ scenarios

@pytest.mark.parametrize("response", ["拒否", "refused", "Refused", "ＲＥＦＵＳＥＤ", "'  拒否 '", "REJECTED"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_label_in_either_language_gives_the_same_advice_as_the_value(tmp_path, response, lang):
    by_value = advise("--lang", lang, scenario(tmp_path, "rejected"))
    by_label = advise("--lang", lang, scenario(tmp_path, response))
    assert by_value[0] == 0 and by_label == by_value


def test_a_label_gives_the_same_explanation_as_the_value(tmp_path):
    by_value = advise("--lang", "ja", "--explain", scenario(tmp_path, "rejected"))
    assert by_value[0] == 0 and advise("--lang", "ja", "--explain", scenario(tmp_path, "拒否")) == by_value


def test_json_keeps_the_value_given_by_its_label(tmp_path):
    code, out, _ = advise("--format", "json", scenario(tmp_path, "拒否"))
    assert code == 0 and '"client_response": {\n      "value": "rejected",\n      "origin": "given"' in out


@pytest.mark.parametrize("lang, expected", [
    ("ja", 'client_response: 応答なし（none）、同意（accepted）、拒否（rejected） のいずれかが必要ですが、'
           '「拒否する」が指定されています（もしかして「拒否」？）'),
    ("en", 'client_response: expected one of no answer yet (none), accepted, refused (rejected); got "拒否する" '
           '(did you mean "拒否"?)'),
])
def test_a_wrong_word_lists_the_labels_and_values_in_the_language_asked_for(tmp_path, lang, expected):
    path = scenario(tmp_path, "拒否する")
    packs = "craudia, crowdworks, fiverr, lancers, upwork"  # the scenario names no platform:, and is told so
    assumed = {"en": f"no platform: given, so crowdworks was assumed; rule packs: {packs}",
               "ja": f"platform: がないため、crowdworks として扱いました。ルールパック：{packs}"}[lang]
    assert advise("--lang", lang, path) == (2, "", f"{path}: {assumed}\n{path}:6:20: {expected}\n")


def test_did_you_mean_finds_an_english_label(tmp_path):
    path = scenario(tmp_path, "refusd")
    code, out, err = advise("--lang", "en", path)
    assert (code, out) == (2, "") and err.endswith('; got "refusd" (did you mean "refused"?)\n')


# ----------------------------------------------------------------------------------------- the output

@pytest.mark.parametrize("lang, lines", [
    ("ja", ["✓ contract_type = 固定報酬制（値：固定報酬制）", "✓ client_response = 拒否（値：拒否）"]),
    ("en", ["✓ contract_type = fixed price (fixed) (it is fixed price (fixed))",
            "✓ client_response = refused (rejected) (it is refused (rejected))"]),
])
def test_explain_shows_labels(tmp_path, lang, lines):
    code, out, _ = advise("--lang", lang, "--explain", scenario(tmp_path, "rejected"))
    assert code == 0
    assert all(f"       {line}\n" in out for line in lines), out
    if lang == "ja":  # no enum value is left in English
        assert not re.search(r"(= |値：|現在：)(none|accepted|rejected|fixed|hourly|worker|client)\b", out)


def test_advise_rules_in_japanese_shows_labels_beside_values():
    code, out, _ = advise("rules", "--lang", "ja", "--platform", "crowdworks")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| client_response "))
    assert [cell.strip() for cell in row.split("|")[1:-1]] == [
        "client_response", "enum", "応答なし（none）、同意（accepted）、拒否（rejected）", "応答なし（none）", "シナリオ"]


def test_advise_graph_shows_what_a_rule_sets_by_its_label(tmp_path):
    pack = tmp_path / "crowdworks"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    code, out, _ = advise("graph", "--lang", "ja", "--rules", str(pack))
    assert code == 0 and '|"設定：はい"|' in out


def test_ask_shows_labels_as_choices_and_takes_a_label_a_value_or_a_number():
    answers = "1\nはい\n2026-11-10\nあなた\nrejected\n"
    code, out, err = advise("ask", "--lang", "ja", "--platform", "crowdworks", "--as-of", "2026-11-25", input=answers)
    assert code == 0
    assert "Q1. 契約の形式はどちらですか？\n  1) 固定報酬制\n  2) 時間単価制\n  ［わからなければ Enter（「固定報酬制」として扱います）］" in err
    assert "  1) 応答なし\n  2) 同意\n  3) 拒否\n" in err
    assert "  contract_type: fixed\n" in out
    assert "  request_sent_by: worker\n  client_response: rejected\n" in out


def test_ask_in_english_shows_the_value_beside_its_label_and_takes_the_label_in_any_case():
    code, out, err = advise("ask", "--lang", "en", "--platform", "crowdworks", "--as-of", "2026-11-25",
                            input="Paid by the hour\n")
    assert code == 0
    assert ("Q1. What kind of contract is it?\n  1) fixed price (fixed)\n  2) paid by the hour (hourly)\n"
            "  (Enter if you don't know: taken as fixed price (fixed))\n") in err
    assert "  contract_type: hourly\n" in out


# ---------------------------------------------------------------------------------------- pack errors

LABELS = """\
    labels:
      none: {ja: 応答なし, en: no answer yet}
      accepted: {ja: 同意, en: accepted}
      rejected: {ja: 拒否, en: refused}
"""


def edited(tmp_path: Path, new: str) -> Path:
    pack = tmp_path / "crowdworks"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    facts = pack / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert text.count(LABELS) == 1
    facts.write_text(text.replace(LABELS, new), encoding="utf-8")
    return facts


CASES = {
    "unknown value": (
        LABELS.replace("rejected: {ja: 拒否", "rejectd: {ja: 拒否"),
        "58:5: [error] R108 labels: give every value a label; missing: rejected\n"
        "61:7: [error] R106 labels: \"rejectd\" is not one of the fact's values (did you mean \"rejected\"?)",
        "58:5: [エラー] R108 labels: すべての値に表示名を付けてください。ないもの：rejected\n"
        '61:7: [エラー] R106 labels: 「rejectd」はこのファクトの値ではありません（もしかして「rejected」？）'),
    "missing language": (
        LABELS.replace("{ja: 拒否, en: refused}", "{ja: 拒否}"),
        '61:17: [error] S002 missing key "en" in a text (ja and en)',
        '61:17: [エラー] S002 文面（ja と en）：キー「en」がありません'),
    "same label twice": (
        LABELS.replace("{ja: 同意, en: accepted}", "{ja: 拒否, en: accepted}"),
        '61:22: [error] R108 labels: "拒否" is also the label of "accepted" (ja); a user typing it would mean both',
        '61:22: [エラー] R108 labels: 「拒否」は「accepted」の表示名（ja）でもあります。入力されたときにどちらか決められません'),
    "another value's name": (
        LABELS.replace("en: no answer yet", "en: Accepted"),
        '59:28: [error] R108 labels: "Accepted" is the name of another value, "accepted"; a user typing it would mean '
        'both',
        '59:28: [エラー] R108 labels: 「Accepted」は別の値「accepted」の名前です。入力されたときにどちらか決められません'),
    "a value without a label": (
        LABELS.replace("      rejected: {ja: 拒否, en: refused}\n", ""),
        "58:5: [error] R108 labels: give every value a label; missing: rejected",
        "58:5: [エラー] R108 labels: すべての値に表示名を付けてください。ないもの：rejected"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_mistake_in_labels_is_reported_at_its_line(tmp_path, case, lang):
    new, en, ja = CASES[case]
    facts = edited(tmp_path, new)
    code, out, err = advise("check", "--lang", lang, str(facts.parent))
    expected = "".join(f"{facts}:{line}\n" for line in (en if lang == "en" else ja).splitlines())
    assert (code, out, err) == (1, expected, "")


def test_labels_on_a_fact_that_is_no_enum_are_refused(tmp_path):
    facts = edited(tmp_path, LABELS)
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("    type: bool\n    default: false\n    description:\n      ja: 納品物の作業",
                                  "    type: bool\n    labels: {started: {ja: 始めた, en: started}}\n    default: false\n"
                                  "    description:\n      ja: 納品物の作業", 1), encoding="utf-8")
    code, out, _ = advise("check", "--lang", "en", str(facts.parent))
    assert (code, out) == (1, f"{facts}:21:5: [error] R106 labels: are for enum facts, one per value; delete them\n")


@pytest.mark.parametrize(("lang", "message"), [
    ("en", 'R108 values: "ＲＥＪＥＣＴＥＤ" reads as "rejected" (a scenario\'s word is matched without case or width): '
           "a scenario could not say which it means"),
    ("ja", 'R108 values: 「ＲＥＪＥＣＴＥＤ」は「rejected」と同じに読まれます（シナリオの語は大文字・小文字や全角・半角を'
           "区別せずに照合します）。シナリオでどちらを指すか決められません")])
def test_two_values_read_alike_are_refused(tmp_path, lang, message):
    """A scenario's word is matched folded: two values that fold alike would make one silently the other."""
    pack = tmp_path / "crowdworks"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    facts = pack / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("values: [none, accepted, rejected]", "values: [none, accepted, rejected, ＲＥＪＥＣＴＥＤ]", 1),
                     encoding="utf-8")
    code, out, _ = advise("check", "--lang", lang, str(pack))
    level = {"en": "[error]", "ja": "[エラー]"}[lang]
    assert code == 1 and f"{facts}:57:40: {level} {message}\n" in out


# ------------------------------------------------------------------------------ Japanese punctuation

def test_japanese_sentences_of_the_catalogs_use_full_width_punctuation():
    """No ASCII ? or ! after Japanese, and no ASCII colon after Japanese or after a placeholder that is Japanese
    text ({title}, {text}); a colon after a YAML key or a name (sets: , {fact}: ) stays ASCII, and so does one
    quoted as what to type (「:」)."""
    texts = dict(catalog("ja"))
    texts.update({key: value for key, value in catalog("ja", SCHEMA_TEXTS).items()})
    assert (LOCALE / "ja" / f"{SCHEMA_TEXTS}.yaml").is_file()
    wrong = {key: text for key, text in texts.items()
             if re.search(r"[^\x00-\x7f「][?!:]|\{(?:title|text)\}:", text)}
    assert wrong == {}
