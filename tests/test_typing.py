"""What Japanese users and Windows editors type into a scenario: each form is either read as the value it
certainly means (the advice is the same as for the plain form) or refused at its own line and column, naming
the character with its code point and what to type instead, in the language asked for."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from packs import FACTS, make_pack, rule

from advisor.cli import main
from advisor.diagnostics import InputError
from advisor.interview import NO_WORDS, YES_WORDS
from advisor.load import pack_folders, read_file

BASE = """\
title: t
as_of: 2026-11-25
facts:
  work_started: true
  request_sent_on: 2026-11-10
  client_response: rejected
  units_total: 10
  units_delivered: 5
  fee: 50000
"""


ASSUMED = {"en": "no platform: given, so crowdworks was assumed; rule packs: {}",
           "ja": "platform: がないため、crowdworks として扱いました。ルールパック：{}"}


def advise(lang: str, content: bytes, tmp_path):
    """Exit code, stdout and stderr without the scenario's path; a scenario naming no platform: is refused with a
    first line saying crowdworks was assumed (asserted here: every case is about the CrowdWorks pack), which
    stderr is given without."""
    path = tmp_path / "scenario.yaml"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["--lang", lang, str(path)])
    err = result.stderr
    try:
        data = read_file(path).data
    except InputError:  # no YAML mapping: the mistake is the file's, whatever the pack
        data = None
    if result.exit_code == 2 and isinstance(data, dict) and "platform" not in data:
        note = f"{path}: " + ASSUMED[lang].format(", ".join(folder.name for folder in pack_folders())) + "\n"
        assert err.startswith(note), err
        err = err[len(note):]
    return result.exit_code, result.stdout, err.replace(f"{path}:", "")


def edited(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


# ------------------------------------------------------------------------------------ accepted as meant

ACCEPTED = [
    pytest.param(edited("fee: 50000", "fee: ５００００"), id="full-width-digits"),
    pytest.param(edited("fee: 50000", "fee: 50,000"), id="thousands-comma"),
    pytest.param(edited("fee: 50000", "fee: ５０，０００"), id="full-width-thousands-comma"),
    pytest.param(edited("fee: 50000", "fee: ¥50,000"), id="yen-sign"),
    pytest.param(edited("fee: 50000", "fee: ￥50,000"), id="full-width-yen-sign"),
    pytest.param(edited("fee: 50000", "fee: \\50000"), id="yen-key-backslash"),
    pytest.param(edited("fee: 50000", "fee: 50000円"), id="yen-after"),
    pytest.param(edited("fee: 50000", "fee: 50,000 円"), id="yen-after-a-space"),
    pytest.param(edited("fee: 50000", "fee: 5万円"), id="man"),
    pytest.param(edited("fee: 50000", "fee: ５万"), id="full-width-man"),
    pytest.param(edited("fee: 50000", "fee: 5万0000"), id="man-four-zeros"),
    # zeros after 万 are 50000 whether short for 5万0000 or written out
    pytest.param(edited("fee: 50000", "fee: 5万0"), id="man-one-zero"),
    pytest.param(edited("fee: 50000", "fee: 5万０"), id="man-full-width-zero"),
    pytest.param(edited("fee: 50000", "fee: 5万00円"), id="man-two-zeros-yen"),
    # any Unicode decimal digit, as Python's int reads them
    pytest.param(edited("fee: 50000", "fee: ٥٠٠٠٠"), id="arabic-indic-digits"),
    pytest.param(edited("fee: 50000", "fee: 𝟓𝟎𝟎𝟎𝟎"), id="mathematical-bold-digits"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: ٢٠٢٦-١١-١٠"), id="date-arabic-indic-digits"),
    pytest.param(edited("fee: 50000", "fee: 50000　"), id="trailing-ideographic-space"),
    pytest.param(edited("units_total: 10", "units_total: １０"), id="full-width-count"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026/11/10"), id="date-slashes"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: ２０２６／１１／１０"), id="date-full-width"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026年11月10日"), id="date-kanji"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: ２０２６年１１月１０日"),
                 id="date-kanji-full-width"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026.11.10"), id="date-dots"),
    pytest.param(edited("work_started: true", "work_started: ｔｒｕｅ"), id="full-width-true"),
    pytest.param(edited("client_response: rejected", "client_response: ｒｅｊｅｃｔｅｄ"), id="full-width-enum"),
    pytest.param(BASE.replace("\n", "\r\n"), id="crlf"),
    # a quote never changes what a value means: quoted, plain or a block scalar, the text is read the same
    pytest.param(edited("fee: 50000", 'fee: "50000"'), id="quoted-number"),
    pytest.param(edited("fee: 50000", "fee: '50000'"), id="single-quoted-number"),
    pytest.param(edited("fee: 50000", "fee: |\n    50000"), id="block-number"),
    pytest.param(edited("fee: 50000", "fee: >-\n    50000\n"), id="folded-block-number"),
    pytest.param(edited("fee: 50000", 'fee: "50_000"'), id="quoted-underscores-as-yaml-reads-them-plain"),
    pytest.param(edited("fee: 50000", 'fee: "5_0000_"'), id="quoted-underscores-anywhere-after-a-digit"),
    pytest.param(edited("request_sent_on: 2026-11-10", 'request_sent_on: "2026-11-10"'), id="quoted-date"),
    pytest.param(edited("as_of: 2026-11-25", 'as_of: "2026-11-25"'), id="as-of-quoted"),
    pytest.param(edited("work_started: true", 'work_started: "true"'), id="quoted-true"),
    pytest.param(edited("work_started: true", "work_started: |\n    true"), id="block-true"),
    pytest.param(edited("units_total: 10", 'units_total: "10"'), id="quoted-count"),
    # yes and no in a bool fact: YAML's own words, quoted or not, and those advise ask takes, in either language
    pytest.param(edited("work_started: true", "work_started: はい"), id="hai"),
    pytest.param(edited("work_started: true", "work_started: ハイ"), id="hai-katakana"),
    pytest.param(edited("work_started: true", "work_started: ﾊｲ"), id="hai-half-width-katakana"),
    pytest.param(edited("work_started: true", "work_started: Yes"), id="yes"),
    pytest.param(edited("work_started: true", 'work_started: "yes"'), id="quoted-yes"),
    pytest.param(edited("work_started: true", "work_started: ｙｅｓ"), id="full-width-yes"),
    pytest.param(edited("work_started: true", "work_started: y"), id="y"),
    pytest.param(edited("work_started: true", 'work_started: "on"'), id="quoted-on"),
    # dates: a dash of any look between year, month and day is the "-" of 2026-11-10
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026ー11ー10"), id="date-long-vowel-marks"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026\u201011\u201010"), id="date-hyphens"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026\u201311\u201310"), id="date-en-dashes"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026\u221211\u221210"), id="date-minus-signs"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: ２０２６－１１－１０"), id="date-full-width-dashes"),
    pytest.param(edited("as_of: 2026-11-25", "as_of: 2026ー11ー25"), id="as-of-long-vowel-marks"),
    # numbers: spaces around 万, a trailing no-break space
    pytest.param(edited("fee: 50000", "fee: 5 万"), id="space-before-man"),
    pytest.param(edited("fee: 50000", "fee: ¥ 5 万 円"), id="spaces-around-man-and-yen"),
    pytest.param(edited("fee: 50000", "fee: 50000\u00a0"), id="trailing-no-break-space"),
    pytest.param(edited("as_of: 2026-11-25", "as_of: 2026年11月25日"), id="as-of-kanji"),
    pytest.param(edited("as_of: 2026-11-25", "as_of: ２０２６/１１/２５"), id="as-of-full-width"),
    pytest.param(edited("  request_sent_on: 2026-11-10\n", "").replace("  client_response: rejected\n", "") + "events:\n  - {date: 2026/11/10, event: termination_requested}\n"
                 "  - {date: 2026年11月12日, event: client_rejected}\n", id="event-dates"),
    pytest.param(edited("  request_sent_on: 2026-11-10\n", "").replace("  client_response: rejected\n", "") + "events:\n  - {date: \"2026-11-10\", event: termination_requested}\n"
                 "  - {date: 2026ー11ー12, event: client_rejected}\n", id="event-dates-quoted-and-dashed"),
]

# The same scenario written with an events timeline and a parameter: counts and parameter values read as facts are.
TIMELINE = """\
title: t
as_of: 2026-11-25
params:
  auto_termination_days: 7
facts:
  units_total: 3
  fee: 30000
events:
  - {date: 2026-11-10, event: units_delivered, count: 2}
  - {date: 2026-11-20, event: units_delivered, count: 1}
"""

EVENTS = ("contract_started, work_started, units_delivered, termination_requested, client_requested_termination, "
          "worker_accepted_request, worker_rejected_request, client_accepted, client_rejected, client_threatened, "
          "client_message, contact_prompt_requested, payment_refused, extra_work_demanded, escrow_funded, "
          "delivery_rejected, client_harassed, damages_demanded, terms_changed_by_client")

TIMELINE_ACCEPTED = [
    pytest.param(TIMELINE.replace("count: 2", "count: ２"), id="full-width-count"),
    pytest.param(TIMELINE.replace("count: 2", 'count: "2"'), id="quoted-count"),
    pytest.param(TIMELINE.replace("fee: 30000", 'fee: "30,000"'), id="quoted-grouped-fee"),
    pytest.param(TIMELINE.replace("days: 7", "days: ７"), id="full-width-parameter"),
    pytest.param(TIMELINE.replace("days: 7", 'days: "7"'), id="quoted-parameter"),
]

ENCODED = [
    pytest.param(b"\xef\xbb\xbf" + BASE.encode(), id="utf-8-bom"),
    pytest.param(BASE.encode("utf-16"), id="utf-16-bom"),
    pytest.param(b"\xfe\xff" + BASE.encode("utf-16-be"), id="utf-16-be-bom"),
    pytest.param(b"\xff\xfe" + BASE.encode("utf-16-le"), id="utf-16-le-bom"),
    pytest.param(BASE.encode("utf-32"), id="utf-32-bom"),
    pytest.param(b"\x00\x00\xfe\xff" + BASE.encode("utf-32-be"), id="utf-32-be-bom"),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("content", ACCEPTED)
def test_a_form_whose_meaning_is_certain_gives_the_same_advice(tmp_path, lang, content):
    expected = advise(lang, BASE.encode(), tmp_path)
    assert expected[0] == 0 and expected[1]
    assert advise(lang, content.encode(), tmp_path) == expected


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("content", TIMELINE_ACCEPTED)
def test_a_count_or_a_parameter_is_read_as_a_fact_is(tmp_path, lang, content):
    expected = advise(lang, TIMELINE.encode(), tmp_path)
    assert expected[0] == 0 and expected[1]
    assert advise(lang, content.encode(), tmp_path) == expected


@pytest.mark.parametrize("word", [*YES_WORDS, *NO_WORDS])
def test_every_yes_or_no_advise_ask_takes_is_read_in_a_file(tmp_path, word):
    """A file and advise ask take the same words for true and false."""
    plain = "true" if word in YES_WORDS else "false"
    expected = advise("en", edited("work_started: true", f"work_started: {plain}").encode(), tmp_path)
    assert advise("en", edited("work_started: true", f'work_started: "{word}"').encode(), tmp_path) == expected


def test_iie_in_katakana_is_false(tmp_path):
    """An IME offers イイエ as readily as いいえ."""
    expected = advise("en", edited("work_started: true", "work_started: false").encode(), tmp_path)
    assert advise("en", edited("work_started: true", "work_started: イイエ").encode(), tmp_path) == expected


PERCENT = {"en": 'progress_percent: cannot read "{value}" as a whole number: "{char}" (U+{code}) cannot be part of it; '
                 "write it in digits from 0 to 100, e.g. 50",
           "ja": 'progress_percent: 「{value}」を整数として読めません。「{char}」（U+{code}）はここに書けません。'
                 "0〜100 の数字で、50 のように書いてください"}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("value, char, code", [("50%", "%", "0025"), ("５０％", "％", "FF05")])
def test_a_percent_sign_is_named_with_examples_in_the_facts_range(tmp_path, lang, value, char, code):
    """The pack declares progress_percent as a number from 0 to 100, no unit: "%" is named, and the examples are
    in its range, where they were 12, 50000 or 50,000."""
    content = edited("fee: 50000", f"fee: 50000\n  progress_percent: {value}").encode()
    message = PERCENT[lang].format(value=value, char=char, code=code)
    assert advise(lang, content, tmp_path) == (2, "", f"10:21: {message}\n")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("content", ENCODED)
def test_a_byte_order_mark_makes_the_encoding_certain(tmp_path, lang, content):
    expected = advise(lang, BASE.encode(), tmp_path)
    assert advise(lang, content, tmp_path) == expected


@pytest.mark.parametrize("fee, half", [("5万円", "¥25,000"), ("4万6000円", "¥23,000"), ("1.5万", "¥7,500"),
                                       ("1.1万", "¥5,500"), ("1万0500", "¥5,250"), ("1万5,000", "¥7,500"), ("1,000万", "¥5,000,000"), ("1,000.5万円", "¥5,002,500")])  # 1.1 × 10,000 is not 11000 in floating point
def test_the_amount_read_is_the_amount_advised(tmp_path, fee, half):
    """5万円 is 50,000 yen: half of it is proposed for half the work."""
    code, out, _ = advise("en", edited("fee: 50000", f"fee: {fee}").encode(), tmp_path)
    assert code == 0 and f"Propose {half} for the 5 of 10 deliverables" in out


# ------------------------------------------------------------------------------------------- refused

REFUSED = [
    # --- where YAML reads the structure of a line
    pytest.param(edited("work_started: true", "work_started： true"),
                 '4:15: "：" (U+FF1A) after "work_started" is a full-width colon: type an ASCII colon and a space, '
                 '"work_started: "',
                 "4:15: 「work_started」の後の「：」（U+FF1A）は全角のコロンです。半角の「:」と半角スペースを入力してください"
                 "（work_started: ）", id="full-width-colon"),
    pytest.param(edited("fee: 50000", "fee： 50000"),
                 '9:6: "：" (U+FF1A) after "fee" is a full-width colon: type an ASCII colon and a space, "fee: "',
                 "9:6: 「fee」の後の「：」（U+FF1A）は全角のコロンです。半角の「:」と半角スペースを入力してください（fee: ）",
                 id="full-width-colon-last-line"),
    pytest.param("as_of: 2026-11-25\nfacts:\n  fee： 50000\n",
                 '3:6: "：" (U+FF1A) after "fee" is a full-width colon: type an ASCII colon and a space, "fee: "',
                 "3:6: 「fee」の後の「：」（U+FF1A）は全角のコロンです。半角の「:」と半角スペースを入力してください（fee: ）",
                 id="full-width-colon-only-fact"),
    pytest.param("as_of: 2026-11-25\nevents: [{date： 2026-11-10, event: termination_requested}]\n",
                 '2:15: "：" (U+FF1A) after "date" is a full-width colon: type an ASCII colon and a space, "date: "',
                 "2:15: 「date」の後の「：」（U+FF1A）は全角のコロンです。半角の「:」と半角スペースを入力してください（date: ）",
                 id="full-width-colon-in-flow"),
    pytest.param(edited("fee: 50000", "fee:\u300050000"),
                 '9:7: a full-width space "　" (U+3000) after "fee:": type an ASCII space after the colon',
                 "9:7: 「fee:」の後の全角スペース「　」（U+3000）は半角スペースにしてください", id="ideographic-space-after-colon"),
    pytest.param(edited("  fee: 50000", "\u3000 fee: 50000"),
                 '9:1: a full-width space "　" (U+3000) in the indentation: indent with ASCII spaces',
                 "9:1: インデントに全角スペース「　」（U+3000）があります。インデントは半角スペースで入力してください",
                 id="ideographic-space-indentation"),
    pytest.param("as_of: 2026-11-25\nexpect:\n  actions:\n    － negotiate_partial_pay\n",
                 '4:5: "－" (U+FF0D) does not start a list item: type an ASCII "-" and a space',
                 "4:5: 「－」（U+FF0D）ではリストの項目になりません。半角の「-」と半角スペースを入力してください",
                 id="full-width-dash"),
    pytest.param("as_of: 2026-11-25\nexpect:\n  actions:\n    ー negotiate_partial_pay\n",
                 '4:5: "ー" (U+30FC) does not start a list item: type an ASCII "-" and a space',
                 "4:5: 「ー」（U+30FC）ではリストの項目になりません。半角の「-」と半角スペースを入力してください",
                 id="long-vowel-mark-dash"),
    pytest.param("as_of: 2026-11-25\nexpect:\n  actions:\n    -\u3000negotiate_partial_pay\n",
                 '4:6: a full-width space "　" (U+3000) after the "-" of a list item: type an ASCII space after the dash',
                 "4:6: リストの「-」の後の全角スペース「　」（U+3000）は半角スペースにしてください", id="ideographic-space-after-dash"),
    pytest.param("＃ メモ\nas_of: 2026-11-25\n",
                 '1:1: "＃" (U+FF03) does not start a comment: type an ASCII "#"',
                 "1:1: 「＃」（U+FF03）ではコメントになりません。半角の「#」を入力してください", id="full-width-hash"),
    # --- PyYAML's syntax errors in our words
    pytest.param("as_of: 2026-11-25\nfacts:\n\tfee: 3\n",
                 "3:1: invalid YAML: a tab (U+0009) here: YAML indents and separates with spaces only; replace the tab "
                 "with spaces",
                 "3:1: YAML として読めません：ここにタブ文字（U+0009）があります。YAML のインデントと区切りには半角スペースしか使え"
                 "ません。タブを半角スペースに置き換えてください", id="tab-indentation"),
    pytest.param('title: "拒否された\nas_of: 2026-11-25\n',
                 '1:8: invalid YAML: the quote " opened here is not closed: end the text with "',
                 '1:8: YAML として読めません：ここで開いた引用符 " が閉じていません。文の終わりに " を入力してください',
                 id="unclosed-quote"),
    pytest.param("title: 注意: 期限\nas_of: 2026-11-25\n",
                 '1:10: invalid YAML: ": " here would start a key inside a value: if it is part of a text, put the '
                 'whole text in quotes ("..."); if it starts a key, put it on a line of its own, indented like the keys '
                 'beside it',
                 "1:10: YAML として読めません：ここの「: 」は値の途中でキーを始めてしまいます。文の一部なら文全体を引用符（\"...\"）で"
                 "囲んでください。キーなら行を分け、並ぶキーと同じ位置までインデントしてください", id="colon-in-a-value"),
    pytest.param("as_of: 2026-11-25\nexpect:\n  actions: [negotiate_partial_pay\n",
                 '3:12: invalid YAML: "[" opened here is not closed: end it with "]"',
                 "3:12: YAML として読めません：ここで開いた「[」が閉じていません。「]」で閉じてください", id="unclosed-bracket"),
    pytest.param("title: @home\n",
                 '1:8: invalid YAML: "@" (U+0040) cannot start a value: put the whole value in quotes ("...")',
                 '1:8: YAML として読めません：「@」（U+0040）は値の先頭に書けません。値全体を引用符（"..."）で囲んでください',
                 id="reserved-first-character"),
    pytest.param("facts:\n  fee: 1\n work_started: true\n",
                 "3:2: invalid YAML: this line is indented differently from the keys above it: the keys of one mapping "
                 "start in the same column",
                 "3:2: YAML として読めません：この行のインデントが上のキーとそろっていません。同じマッピングのキーは同じ列から書き始めます",
                 id="indentation"),
    # --- values
    pytest.param(edited("fee: 50000", "fee: 5万3千円"),
                 '9:8: fee: cannot read "5万3千円" as a whole number: "千" (U+5343) is a numeral in kanji; write it in '
                 "digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円",
                 '9:8: fee: 「5万3千円」を整数として読めません。「千」（U+5343）は漢数字です。50000、50,000、¥50,000、50000円、5万円の'
                 "ように数字で書いてください", id="kanji-numeral"),
    pytest.param(edited("fee: 50000", "fee: 1,2"),
                 '9:8: fee: cannot read "1,2" as a whole number: a comma goes only between groups of three digits, as in '
                 "50,000; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円",
                 '9:8: fee: 「1,2」を整数として読めません。カンマは 50,000 のように 3 桁ごとの区切りにだけ使えます。50000、50,000、'
                 "¥50,000、50000円、5万円のように数字で書いてください", id="comma-not-grouping"),
    pytest.param(edited("fee: 50000", "fee: 50、000"),
                 '9:8: fee: cannot read "50、000" as a whole number: "、" (U+3001) is a Japanese punctuation mark, not a '
                 "separator of digits; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円",
                 '9:8: fee: 「50、000」を整数として読めません。「、」（U+3001）は句読点で、数字の区切りには使えません。50000、50,000、'
                 "¥50,000、50000円、5万円のように数字で書いてください", id="ideographic-comma"),
    pytest.param(edited("fee: 50000", "fee: 1.23456万円"),
                 '9:8: fee: cannot read "1.23456万円" as a whole number: it has a fraction; write it in digits, e.g. '
                 "50000, 50,000, ¥50,000, 50000円 or 5万円",
                 '9:8: fee: 「1.23456万円」を整数として読めません。小数があります。50000、50,000、¥50,000、50000円、5万円のように'
                 "数字で書いてください", id="man-with-a-fraction-of-a-yen"),
    pytest.param(edited("units_total: 10", "units_total: 10円"),
                 '7:16: units_total: cannot read "10円" as a whole number: "円" (U+5186) is for an amount of money, and '
                 "this is a count; write it in digits, e.g. 12, 50000 or 50,000",
                 '7:16: units_total: 「10円」を整数として読めません。「円」（U+5186）は金額に付けるもので、これは個数です。12、50000、'
                 "50,000 のように数字で書いてください", id="yen-on-a-count"),
    pytest.param(edited("fee: 50000", "fee: ー5000"),
                 '9:8: fee: cannot read "ー5000" as a whole number: "ー" (U+30FC) cannot be part of it; write it in '
                 "digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円",
                 '9:8: fee: 「ー5000」を整数として読めません。「ー」（U+30FC）はここに書けません。50000、50,000、¥50,000、50000円、'
                 "5万円のように数字で書いてください", id="long-vowel-mark-as-minus"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026/02/30"),
                 '5:20: request_sent_on: there is no date "2026/02/30": 2026-02 has no day 30 (it has 28 days)',
                 '5:20: request_sent_on: 日付「2026/02/30」は存在しません：2026-02 に 30 日はありません（28 日までです）',
                 id="impossible-date-slashes"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026-02-30"),
                 '5:20: request_sent_on: impossible date "2026-02-30": 2026-02 has no day 30 (it has 28 days)',
                 '5:20: request_sent_on: 日付「2026-02-30」は存在しません：2026-02 に 30 日はありません（28 日までです）',
                 id="impossible-date"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 11/10"),
                 '5:20: request_sent_on: cannot read "11/10" as a date: it must start with the year in four digits; '
                 "write it as 2026-11-10, 2026/11/10 or 2026年11月10日",
                 '5:20: request_sent_on: 「11/10」を日付として読めません。4 桁の年から書き始めてください。2026-11-10、2026/11/10、'
                 "2026年11月10日のように書いてください", id="date-without-a-year"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026/11/10（火）"),
                 '5:20: request_sent_on: cannot read "2026/11/10（火）" as a date: "（" (U+FF08) cannot be part of it; '
                 "write it as 2026-11-10, 2026/11/10 or 2026年11月10日",
                 '5:20: request_sent_on: 「2026/11/10（火）」を日付として読めません。「（」（U+FF08）はここに書けません。2026-11-10、'
                 "2026/11/10、2026年11月10日のように書いてください", id="date-with-a-weekday"),
]


REFUSED += [
    # --- each refusal names the character out of place, or the real reason
    pytest.param(edited("fee: 50000", "fee: ¥¥50000"),
                 '9:8: fee: cannot read "¥¥50000" as a whole number: "¥" (U+00A5) is written twice; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「¥¥50000」を整数として読めません。「¥」（U+00A5）が 2 回書かれています。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="yen-sign-twice"),
    pytest.param(edited("fee: 50000", "fee: 5万5万"),
                 '9:8: fee: cannot read "5万5万" as a whole number: "万" (U+4E07) is written twice; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「5万5万」を整数として読めません。「万」（U+4E07）が 2 回書かれています。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="man-twice"),
    pytest.param(edited("fee: 50000", "fee: 5.000.000"),
                 '9:8: fee: cannot read "5.000.000" as a whole number: "." (U+002E) is written twice; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「5.000.000」を整数として読めません。「.」（U+002E）が 2 回書かれています。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="dot-twice"),
    pytest.param(edited("fee: 50000", "fee: 50-000"),
                 '9:8: fee: cannot read "50-000" as a whole number: "-" (U+002D) goes only before the digits; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50-000」を整数として読めません。「-」（U+002D）は数字の前にだけ書けます。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="minus-inside"),
    pytest.param(edited("fee: 50000", "fee: 50000¥"),
                 '9:8: fee: cannot read "50000¥" as a whole number: "¥" (U+00A5) goes only before the digits; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50000¥」を整数として読めません。「¥」（U+00A5）は数字の前にだけ書けます。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="yen-sign-after"),
    pytest.param(edited("fee: 50000", "fee: 5000円0"),
                 '9:8: fee: cannot read "5000円0" as a whole number: "円" (U+5186) goes only after the digits; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「5000円0」を整数として読めません。「円」（U+5186）は数字の後にだけ書けます。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="yen-inside"),
    pytest.param(edited("fee: 50000", "fee: 万5000"),
                 '9:8: fee: cannot read "万5000" as a whole number: "万" (U+4E07) goes right after the digits of the ten thousands, as in 5万 or 4万6000; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「万5000」を整数として読めません。「万」（U+4E07）は 5万、4万6000 のように万の位の数字のすぐ後に書きます。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="man-first"),
    pytest.param(edited("fee: 50000", "fee: 5万60000"),
                 '9:8: fee: cannot read "5万60000" as a whole number: after 万 come at most four digits, as in 4万6000; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「5万60000」を整数として読めません。万の後に書ける数字は 4万6000 のように 4 桁までです。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="five-digits-after-man"),
    pytest.param(edited("fee: 50000", "fee: 50 000"),
                 '9:8: fee: cannot read "50 000" as a whole number: " " (U+0020) splits the digits: write them without a space; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50 000」を整数として読めません。「 」（U+0020）が数字を分けています。数字は続けて書いてください。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="space-between-digits"),
    pytest.param(edited("fee: 50000", "fee: 50\u3000000"),
                 '9:8: fee: cannot read "50\u3000000" as a whole number: a full-width space "　" (U+3000) splits the digits: write them without a space; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50\u3000000」を整数として読めません。全角スペース「　」（U+3000）が数字を分けています。数字は続けて書いてください。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="full-width-space-between-digits"),
    pytest.param(edited("fee: 50000", "fee: _5000"),
                 '9:8: fee: cannot read "_5000" as a whole number: "_" (U+005F) cannot be part of it; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「_5000」を整数として読めません。「_」（U+005F）はここに書けません。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="underscore-first"),
    pytest.param(edited("fee: 50000", "fee: 50000."),
                 '9:8: fee: cannot read "50000." as a whole number: "." (U+002E) has no digits after it: leave it out; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50000.」を整数として読めません。「.」（U+002E）の後に数字がありません。消してください。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="point-last"),
    pytest.param(edited("fee: 50000", "fee: 5万."),
                 '9:8: fee: cannot read "5万." as a whole number: "." (U+002E) has no digits after it: leave it out; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「5万.」を整数として読めません。「.」（U+002E）の後に数字がありません。消してください。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="point-after-man"),
    pytest.param(edited("fee: 50000", "fee: 1_000.5"),
                 '9:8: fee: cannot read "1_000.5" as a whole number: it has a fraction; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「1_000.5」を整数として読めません。小数があります。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="fraction-as-typed"),
    pytest.param(edited("request_sent_on: 2026-11-10", "request_sent_on: 2026-11/10"),
                 '5:20: request_sent_on: cannot read "2026-11/10" as a date: "/" (U+002F) separates it as well as "-": use '
                 'one of them throughout; write it as 2026-11-10, 2026/11/10 or 2026年11月10日',
                 '5:20: request_sent_on: 「2026-11/10」を日付として読めません。「/」（U+002F）と「-」の 2 種類で区切られています。'
                 'どちらか一方にそろえてください。2026-11-10、2026/11/10、2026年11月10日のように書いてください', id="date-two-separators"),
    pytest.param(edited("request_sent_on: 2026-11-10", 'request_sent_on: "2026-02-30"'),
                 '5:20: request_sent_on: there is no date "2026-02-30": 2026-02 has no day 30 (it has 28 days)',
                 '5:20: request_sent_on: 日付「2026-02-30」は存在しません：2026-02 に 30 日はありません（28 日までです）',
                 id="impossible-date-quoted"),
    pytest.param(edited("work_started: true", "work_started: たぶん"),
                 '4:17: work_started: expected true or false; got "たぶん"',
                 '4:17: work_started: true か false が必要ですが、「たぶん」が指定されています', id="bool-word-unknown"),
    # --- a no-break space (U+00A0) is named like a full-width one
    pytest.param(edited("  fee: 50000", "\u00a0 fee: 50000"),
                 "9:1: a no-break space (U+00A0) in the indentation: indent with ASCII spaces",
                 "9:1: インデントにノーブレークスペース（U+00A0）があります。インデントは半角スペースで入力してください",
                 id="no-break-space-indentation"),
    pytest.param(edited("fee: 50000", "fee\u00a0: 50000"),
                 '9:6: a no-break space (U+00A0) after "fee" is not part of the key: delete it, so that the line reads "fee: "',
                 "9:6: 「fee」の後のノーブレークスペース（U+00A0）はキーの一部になってしまいます。消して「fee: 」としてください",
                 id="no-break-space-before-colon"),
    pytest.param(edited("fee: 50000", "fee\u3000: 50000"),
                 '9:6: a full-width space "　" (U+3000) after "fee" is not part of the key: delete it, so that the line reads '
                 '"fee: "',
                 "9:6: 「fee」の後の全角スペース「　」（U+3000）はキーの一部になってしまいます。消して「fee: 」としてください",
                 id="full-width-space-before-colon"),
    pytest.param(edited("fee: 50000", "fee:\u00a050000"),
                 '9:7: a no-break space (U+00A0) after "fee:": type an ASCII space after the colon',
                 "9:7: 「fee:」の後のノーブレークスペース（U+00A0）は半角スペースにしてください", id="no-break-space-after-colon"),
    pytest.param("as_of: 2026-11-25\nexpect:\n  actions:\n    -\u00a0negotiate_partial_pay\n",
                 '4:6: a no-break space (U+00A0) after the "-" of a list item: type an ASCII space after the dash',
                 "4:6: リストの「-」の後のノーブレークスペース（U+00A0）は半角スペースにしてください", id="no-break-space-after-dash"),
    pytest.param(edited("as_of: 2026-11-25", "as_of: 2026/11/31"),
                 '2:8: as_of: there is no date "2026/11/31": 2026-11 has no day 31 (it has 30 days)',
                 '2:8: as_of: 日付「2026/11/31」は存在しません：2026-11 に 31 日はありません（30 日までです）',
                 id="as-of-impossible"),
    *[pytest.param(edited("request_sent_on: 2026-11-10", f"request_sent_on: {typed}"),
                   f'5:20: request_sent_on: cannot read "{typed}" as a date: a date has no time of day; leave the time '
                   'out; write it as 2026-11-10, 2026/11/10 or 2026年11月10日',
                   f'5:20: request_sent_on: 「{typed}」を日付として読めません。日付に時刻は書けません（時刻を消してください）。'
                   '2026-11-10、2026/11/10、2026年11月10日のように書いてください', id=f"date-with-a-time-{typed}")
      for typed in ("2026-11-10 23:59", "2026-11-10T00:00:00", "2026-11-10T00:00:00+09:00", "2026-11-10 00:00:00Z")],
    pytest.param(BASE + "events:\n  - {date: 11/10, event: termination_requested}\n",
                 '11:12: date: cannot read "11/10" as a date: it must start with the year in four digits; write it as '
                 '2026-11-10, 2026/11/10 or 2026年11月10日',
                 '11:12: date: 「11/10」を日付として読めません。4 桁の年から書き始めてください。2026-11-10、2026/11/10、'
                 '2026年11月10日のように書いてください', id="event-date-without-year"),
]


REFUSED += [
    # --- counts and parameter values are read as facts are, and refused in the same words
    pytest.param(TIMELINE.replace("count: 2", "count: ２つ"),
                 '9:55: count: cannot read "２つ" as a whole number: "つ" (U+3064) cannot be part of it; write it in digits, '
                 'e.g. 12, 50000 or 50,000',
                 '9:55: count: 「２つ」を整数として読めません。「つ」（U+3064）はここに書けません。12、50000、50,000 のように数字で'
                 '書いてください', id="count-with-a-counter-word"),
    pytest.param(TIMELINE.replace("days: 7", "days: ７日"),
                 '4:26: auto_termination_days: cannot read "７日" as a whole number: "日" (U+65E5) cannot be part of it; '
                 'write it in digits, e.g. 12, 50000 or 50,000',
                 '4:26: auto_termination_days: 「７日」を整数として読めません。「日」（U+65E5）はここに書けません。12、50000、'
                 '50,000 のように数字で書いてください', id="parameter-with-a-unit"),
    # --- an event that cannot be read does not hide the other events' mistakes
    pytest.param(TIMELINE.replace("2026-11-10", "11/10").replace("count: 1}", "count: 1}\n  - {date: 2026-11-21, event: nosuch}"),
                 '9:12: date: cannot read "11/10" as a date: it must start with the year in four digits; write it as '
                 '2026-11-10, 2026/11/10 or 2026年11月10日\n'
                 '11:31: unknown event "nosuch"; events: ' + EVENTS,
                 '9:12: date: 「11/10」を日付として読めません。4 桁の年から書き始めてください。2026-11-10、2026/11/10、'
                 '2026年11月10日のように書いてください\n'
                 '11:31: 不明なイベント「nosuch」です。イベント：' + EVENTS, id="event-mistakes-each-at-its-place"),
    pytest.param(TIMELINE.replace("count: 1}", "count: 二}\n  - {date: 2026-11-05, event: units_delivered, count: 1}"),
                 '10:55: count is a whole number, 0 or more; got "二"\n'
                 '11:12: events must be oldest first: 2026-11-05 comes after 2026-11-10',
                 '10:55: count には 0 以上の整数を書きます（指定値：「二」）\n'
                 '11:12: events は古い順に並べてください。2026-11-05 が 2026-11-10 の後にあります', id="event-count-and-order"),
]


REFUSED += [
    # --- a parameter's value is held to the limits the pack declares for it (min: 1, max: 365 days)
    pytest.param(TIMELINE.replace("days: 7", "days: -7"), "4:26: auto_termination_days: must be at least 1; got -7",
                 "4:26: auto_termination_days: 1 以上でなければなりませんが、-7 が指定されています", id="parameter-negative"),
    pytest.param(TIMELINE.replace("days: 7", "days: 0"), "4:26: auto_termination_days: must be at least 1; got 0",
                 "4:26: auto_termination_days: 1 以上でなければなりませんが、0 が指定されています", id="parameter-zero"),
    pytest.param(TIMELINE.replace("days: 7", "days: 1万"), "4:26: auto_termination_days: must be at most 365; got 10000",
                 "4:26: auto_termination_days: 365 以下でなければなりませんが、10000 が指定されています", id="parameter-too-large"),
]


REFUSED += [
    # --- a value over several lines is shown on one line, its last line break left out
    pytest.param(edited("fee: 50000", "fee: |\n    5万3千円"),
                 '9:8: fee: cannot read "5万3千円" as a whole number: "千" (U+5343) is a numeral in kanji; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「5万3千円」を整数として読めません。「千」（U+5343）は漢数字です。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="block-kanji"),
    pytest.param(edited("fee: 50000", "fee: >\n    50\n    000"),
                 '9:8: fee: cannot read "50 000" as a whole number: it is split over lines, which YAML joins with a space '
                 '(after ">"): write it on one line; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50 000」を整数として読めません。複数の行に分かれていて、YAML が（「>」の後の）行を半角スペースでつないでいます。'
                 '1 行で書いてください。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください', id="folded-block-over-lines"),
    pytest.param(edited("fee: 50000", "fee: |\n    50\n    000"),
                 '9:8: fee: cannot read "50\\n000" as a whole number: it is split over lines: write it on one line; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円',
                 '9:8: fee: 「50\\n000」を整数として読めません。複数の行に分かれています。1 行で書いてください。50000、50,000、¥50,000、50000円、5万円のように数字で書いてください',
                 id="literal-block-over-lines"),
    pytest.param(edited("work_started: true", 'work_started: !!bool "a\\nb"'),
                 '4:17: work_started: YAML tag !!bool cannot read "a\\nb"; write true or false without the tag',
                 '4:17: work_started: YAML タグ !!bool では「a\\nb」を読めません。タグを付けずに true か false と書いてください',
                 id="tag-value-with-a-line-break"),
]


def _comma(where, number, joined):
    return (f'{where}: in {{...}} a comma separates entries, so "{number}" is split at its commas: write {joined} or put '
            f'it in quotes ("{number}")',
            f'{where}: {{...}} の中ではカンマが項目の区切りになるため、"{number}" がカンマで分かれてしまいます。{joined} と書くか、'
            f'引用符で囲んでください（"{number}"）')


FLOW = "title: t\nas_of: 2026-11-25\nfacts: {{work_started: true, {facts}}}\n"

REFUSED += [
    # --- in {...} a comma ends an entry: 50,000 is never read as 50 and a key "000"
    pytest.param(FLOW.format(facts="fee: 50,000, units_total: 10, units_delivered: 5"), *_comma("3:34", "50,000", "50000"),
                 id="flow-comma-in-a-number"),
    pytest.param(FLOW.format(facts="units_total: 10, units_delivered: 5, fee: 1,500"), *_comma("3:71", "1,500", "1500"),
                 id="flow-comma-in-the-last-number"),
    pytest.param(FLOW.format(facts="fee: 1,500,000, units_total: 10"), *_comma("3:34", "1,500,000", "1500000"),
                 id="flow-commas-in-a-number"),
    pytest.param(TIMELINE.replace("count: 2", "count: 1,000"), *_comma("9:55", "1,000", "1000"), id="flow-comma-in-a-count"),
]


def _ambiguous(typed, rest, man, long, short):
    padded, zeroed = rest.ljust(4, "0"), rest.zfill(4)
    return (f'9:8: fee: "{typed}" can be read two ways: "{rest}" after 万 may be short for {long} or mean {short}; '
            f'write {long} or {man}万{padded} (or {short} or {man}万{zeroed})',
            f'9:8: fee: 「{typed}」は 2 通りに読めます。万の後の「{rest}」は {long} の略とも {short} とも読めます。'
            f'{long} か {man}万{padded}（または {short} か {man}万{zeroed}）と書いてください')


def _tagged(tag, value, fix_en, fix_ja):
    return (f'4:17: work_started: YAML tag {tag} cannot read "{value}"; {fix_en}',
            f'4:17: work_started: YAML タグ {tag} では「{value}」を読めません。{fix_ja}')


_BOOL_FIX = ("write true or false without the tag", "タグを付けずに true か false と書いてください")
_DATE_FIX = ("write the date without the tag, e.g. 2026-11-10", "タグを付けずに 2026-11-10 のように日付を書いてください")

REFUSED += [
    # --- 1万5 is 15000 in speech (short for 1万5000) and 10005 as written: never guessed
    pytest.param(edited("fee: 50000", "fee: 1万5"), *_ambiguous("1万5", "5", "1", 15000, 10005), id="man-one-digit-after"),
    pytest.param(edited("fee: 50000", "fee: 3万5円"), *_ambiguous("3万5円", "5", "3", 35000, 30005), id="man-digit-yen"),
    pytest.param(edited("fee: 50000", "fee: 1万50"), *_ambiguous("1万50", "50", "1", 15000, 10050), id="man-two-digits-after"),
    pytest.param(edited("fee: 50000", "fee: 1万500"), *_ambiguous("1万500", "500", "1", 15000, 10500), id="man-three-digits-after"),
    pytest.param(edited("fee: 50000", "fee: 1万05"), *_ambiguous("1万05", "05", "1", 10500, 10005), id="man-zero-then-digit"),
    # --- an explicit tag whose value it cannot read
    pytest.param(edited("work_started: true", 'work_started: !!bool "はい"'), *_tagged("!!bool", "はい", *_BOOL_FIX),
                 id="bool-tag-hai"),
    pytest.param(edited("work_started: true", "work_started: !!bool maybe"), *_tagged("!!bool", "maybe", *_BOOL_FIX),
                 id="bool-tag-maybe"),
    pytest.param(edited("work_started: true", "work_started: !<tag:yaml.org,2002:bool> nope"),
                 *_tagged("!!bool", "nope", *_BOOL_FIX), id="verbatim-bool-tag"),
    pytest.param(edited("work_started: true", "work_started: !!timestamp 2026/11/10"),
                 *_tagged("!!timestamp", "2026/11/10", *_DATE_FIX), id="timestamp-tag-slashes"),
    pytest.param(edited("work_started: true", 'work_started: !!timestamp "x"'),
                 *_tagged("!!timestamp", "x", *_DATE_FIX), id="timestamp-tag-word"),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("content, en, ja", REFUSED)
def test_a_slip_is_refused_at_its_own_place_naming_it(tmp_path, lang, content, en, ja):
    assert advise(lang, content.encode(), tmp_path) == (2, "", (ja if lang == "ja" else en) + "\n")


ENCODINGS = [
    pytest.param("as_of: 2026-11-25\ntitle: クライアント\n".encode("cp932"),
                 '2:8: the file is not UTF-8: it looks saved as Shift_JIS (CP932), in which this reads "ク"; save the '
                 "file as UTF-8 (Windows Notepad: File > Save As, Encoding: UTF-8)",
                 "2:8: ファイルが UTF-8 ではありません。Shift_JIS (CP932) で保存されているようです（ここは「ク」と読めます）。UTF-8 で"
                 "保存し直してください（Windows のメモ帳では「名前を付けて保存」で文字コードに UTF-8 を選びます）", id="shift-jis"),
    # about the file as a whole: "path: message" (the path is cut off, leaving the space after its colon)
    pytest.param("as_of: 2026-11-25\ntitle: x\n".encode("utf-16-le"),
                 " the file looks saved as UTF-16 LE without a byte order mark; save the file as UTF-8 (Windows Notepad: "
                 "File > Save As, Encoding: UTF-8)",
                 " ファイルが BOM なしの UTF-16 LE で保存されているようです。UTF-8 で保存し直してください（Windows のメモ帳では"
                 "「名前を付けて保存」で文字コードに UTF-8 を選びます）", id="utf-16-without-bom"),
    pytest.param("as_of: 2026-11-25\ntitle: x\n".encode("utf-16-be"),
                 " the file looks saved as UTF-16 BE without a byte order mark; save the file as UTF-8 (Windows Notepad: "
                 "File > Save As, Encoding: UTF-8)",
                 " ファイルが BOM なしの UTF-16 BE で保存されているようです。UTF-8 で保存し直してください（Windows のメモ帳では"
                 "「名前を付けて保存」で文字コードに UTF-8 を選びます）", id="utf-16-be-without-bom"),
    pytest.param(b"\xff\xfe\x00\x00" + "as_of: 2026-11-25\n".encode("utf-32-le") + b"\x00\x00\x11\x00",
                 "2:1: not valid UTF-32 (the four bytes 00 00 11 00 are no character); save the file as UTF-8",
                 "2:1: UTF-32 として正しくありません（4 バイト 00 00 11 00 が文字になりません）。ファイルを UTF-8 で保存し直してください",
                 id="broken-utf-32"),
    pytest.param(b"\xff\xfe" + "as_of: 2026-11-25\n".encode("utf-16-le") + b"\x00\xdc",
                 "2:1: not valid UTF-16 (byte 0x00); save the file as UTF-8",
                 "2:1: UTF-16 として正しくありません（バイト 0x00）。ファイルを UTF-8 で保存し直してください", id="broken-utf-16"),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("content, en, ja", ENCODINGS)
def test_an_encoding_that_is_not_certain_is_named_with_how_to_save_as_utf8(tmp_path, lang, content, en, ja):
    assert advise(lang, content, tmp_path) == (2, "", (ja if lang == "ja" else en) + "\n")


def test_a_full_width_colon_inside_a_text_value_is_text(tmp_path):
    """Only a key's colon is read as structure: 注意：期限 in a title is what the user wrote."""
    code, out, err = advise("en", edited("title: t", "title: 注意：期限").encode(), tmp_path)
    assert (code, err) == (0, "") and out.startswith("注意：期限\n")


@pytest.mark.parametrize("lang, hint", [("en", ' (did you mean "fee"?)'), ("ja", "（もしかして「fee」？）")])
@pytest.mark.parametrize("key", ["ｆｅｅ"])
def test_a_key_typed_in_full_width_is_told_its_half_width_spelling(tmp_path, lang, hint, key):
    code, out, err = advise(lang, edited("fee: 50000", f"{key}: 50000").encode(), tmp_path)
    assert (code, out) == (2, "") and err.startswith(f'9:3: unknown fact "{key}"' if lang == "en" else f"9:3: 不明なファクト「{key}」")
    assert hint in err


# The test pack's colours with words YAML reads as true and false: the value "on", the label "true".
LABELLED = FACTS.replace("values: [red, green, blue]", 'values: [red, "on", blue], labels: {red: {ja: 赤, en: "true"}, '
                         '"on": {ja: 点灯, en: lit}, blue: {ja: 青, en: blue}}')


def advise_colour(tmp_path, lang: str, word: str):
    pack = make_pack(tmp_path / "pack", [rule("r", "{color: red}", "a"), rule("q", "{color: 'on'}", "b")])
    (pack / "facts.yaml").write_text(LABELLED, encoding="utf-8")
    path = tmp_path / "scenario.yaml"
    path.write_text(f"platform: testpack\nfacts:\n  color: {word}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", lang, "--rules", str(pack), str(path)])
    return result.exit_code, result.stdout, result.stderr.replace(f"{path}:", "")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("typed, value", [("true", "red"), ("TRUE", "red"), ("on", '"on"'), ("On", '"on"')])
def test_an_enum_word_yaml_reads_as_true_or_false_is_read_as_typed(tmp_path, lang, typed, value):
    """color: true names the value labelled "true", color: on the value "on", quoted or not."""
    expected = advise_colour(tmp_path, lang, value)
    assert expected[0] == 0 and expected[1]
    assert advise_colour(tmp_path, lang, typed) == expected


@pytest.mark.parametrize("lang, err", [
    ("en", "3:10: color: expected one of true (red), lit (on), blue; got false (YAML reads unquoted yes/no/on/off as "
           "true/false: quote the word)\n"),
    ("ja", "3:10: color: 赤（red）、点灯（on）、青（blue） のいずれかが必要ですが、false が指定されています（YAML は引用符のない "
           "yes/no/on/off を true/false と読みます。語を引用符で囲んでください）\n")])
def test_an_enum_word_yaml_reads_as_false_that_names_no_value_is_refused(tmp_path, lang, err):
    assert advise_colour(tmp_path, lang, "off") == (2, "", err)
