"""Words to send (drafts.yaml, `advise SCENARIO --drafts`) and the Markdown document (`--format markdown`).

Golden outputs are regenerated like tests/test_golden.py's:
    ADVISE_UPDATE_GOLDEN=1 python -m pytest tests/test_drafts.py
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from goldens import assert_golden
from packs import make_pack

from advisor.cli import main
from advisor.explain import UNKNOWN
from advisor.pipeline import bundled_rules, read_pack

ROOT = Path(__file__).parent.parent
SEED = "scenarios/crowdworks/seed-rejected-half-delivered.yaml"  # rejected; 5 of 10 delivered for 50,000 yen
PACK = read_pack(str(bundled_rules() / "crowdworks"))[0]
WRITING = ["send_termination_request", "resubmit_with_reasons", "ask_client_not_to_rate", "negotiate_partial_pay",
           "escalate_to_support", "request_contact_prompt", "send_end_request", "request_acceptance",
           "answer_client_request", "wait_for_auto_termination", "hold_your_price", "report_violation_job",
           "request_revision_points", "decline_extra_work", "consult_freelance_hotline",
           "send_termination_request_without_pay", "resubmit_without_pay", "ask_client_to_reject_own_request"]


def advise(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def test_every_action_that_means_writing_to_someone_has_a_draft():
    rule_ids = {rule.id for rule in PACK.rules}
    assert sorted(name for name in PACK.drafts if name not in rule_ids) == sorted(WRITING)
    # rules whose state needs words of their own: pay without counted deliverables or after changed terms,
    # threats or harassment, a damages demand, before escrow, acceptance by state, the client's request by
    # state, the reason for leaving, and the contact prompt with a date
    assert sorted(name for name in PACK.drafts if name in rule_ids) == sorted([
        "negotiate-partial-pay-without-amount", "negotiate-progress-pay", "negotiate-partial-pay-after-changed-terms",
        "report-threats", "report-harassment", "hold-price-against-damages",
        "do-not-start-before-escrow", "stop-work-before-escrow", "report-work-before-escrow",
        "ask-for-acceptance-overdue", "ask-for-acceptance-after-refusal", "ask-for-acceptance-instead-of-own-request",
        "answer-client-request-with-work-delivered", "reject-client-request-all-delivered",
        "decline-added-conditions", "decline-extra-work-all-delivered",
        "word-a-private-reason", "word-a-reason-about-the-client", "word-a-reason-about-the-job",
        "request-contact-prompt-since-last-message", "request-contact-prompt-after-delivery",
        "contact-prompt-review-passed-after-delivery"])


def test_drafts_follow_their_recommendations_with_values_filled_and_marks_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    ja = advise("--lang", "ja", "--drafts", SEED)
    en = advise("--lang", "en", "--drafts", SEED)
    for text, begin in ((ja, "----- 送る文面（下書き） -----"), (en, "----- Words to send (draft) -----")):
        sections = text.split("\n\n")
        with_draft = [s.splitlines()[0] for s in sections if begin in s]
        assert [title[:2] for title in with_draft] == ["1.", "2."]  # resubmit_with_reasons, negotiate_partial_pay
    assert "2026年11月10日にお送りした" in ja and "25,000円" in ja and "全10件のうち5件" in ja
    assert "〈クライアント名〉様" in ja and "〈あなたの名前〉" in ja
    assert "I sent on 2026-11-10" in en and "propose ¥25,000" in en and "Dear <client name>," in en
    assert "{" not in ja + en
    assert "下書き" not in advise("--lang", "ja", SEED)  # only with --drafts


def test_json_gives_each_recommendation_its_draft_or_null(monkeypatch):
    monkeypatch.chdir(ROOT)
    document = json.loads(advise("--lang", "en", "--format", "json", "--drafts", SEED))
    drafts = {item["action"]: item["draft"] for item in document["recommendations"]}
    assert drafts["negotiate_partial_pay"]["subject"] == "Pay for the work already delivered"
    assert "¥25,000" in drafts["negotiate_partial_pay"]["body"]
    assert drafts["negotiate_with_client"] is None
    plain = json.loads(advise("--lang", "en", "--format", "json", SEED))
    assert all("draft" not in item for item in plain["recommendations"])


def test_without_an_amount_the_draft_leaves_the_amount_to_the_user(monkeypatch):
    monkeypatch.chdir(ROOT)
    document = json.loads(advise("--lang", "ja", "--format", "json", "--drafts",
                                 "scenarios/crowdworks/cw7-partial-pay-without-fee.yaml"))
    body = next(item["draft"]["body"] for item in document["recommendations"]
                if item["action"] == "negotiate_partial_pay")
    assert "〈金額〉円をご提案" in body and "4件を納品済み" in body and UNKNOWN["ja"] not in body


def test_pay_by_progress_has_its_own_draft_with_the_amount(tmp_path):
    (tmp_path / "s.yaml").write_text("as_of: 2026-11-25\nfacts: {progress_percent: 40, fee: 50000}\n", encoding="utf-8")
    out = advise("--lang", "en", "--drafts", str(tmp_path / "s.yaml"))
    assert "may I propose ¥20,000, 40% of the contract amount of ¥50,000?" in out and UNKNOWN["en"] not in out


GOLDEN_CASES = [(lang, fmt) for fmt in ("text", "markdown") for lang in ("ja", "en")]


@pytest.mark.parametrize("lang, fmt", GOLDEN_CASES, ids=[f"{lang}-{fmt}" for lang, fmt in GOLDEN_CASES])
def test_output_with_drafts_matches_golden(lang, fmt, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = advise("--lang", lang, "--format", fmt, "--drafts", SEED)
    assert_golden(f"seed-rejected-half-delivered.drafts.{lang}.{'md' if fmt == 'markdown' else 'txt'}", out)


def test_markdown_escapes_pack_text_and_fences_drafts(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    text = advise("--lang", "en", "--format", "markdown", "scenarios/crowdworks/cw7-partial-pay-without-fee.yaml")
    assert text.startswith("# ") and "\n## 1. " in text and "```" not in text  # drafts only with --drafts
    scenario = tmp_path / "s.yaml"  # the pack's messages name no facts, so a title shows the escaping
    scenario.write_text("title: units_total *and* fee\nas_of: 2026-11-25\n", encoding="utf-8")
    assert advise("--lang", "en", "--format", "markdown", str(scenario)).startswith(
        "# units\\_total \\*and\\* fee\n")  # not read as emphasis
    explained = advise("--lang", "en", "--format", "markdown", "--explain", "--drafts", SEED)
    assert "```text\nRule: crowdworks/rules.yaml:" in explained and "```text\nSubject: " in explained


def checked(folder: Path, drafts: str) -> list[str]:
    make_pack(folder, ["- {id: r, action: a, priority: 1, when: {n: 1}, message: {ja: m, en: m}, "
                       "because: {ja: b, en: b}, source: s}\n"])
    (folder / "drafts.yaml").write_text(drafts, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder)])
    return result.stdout.replace(str(folder) + "/", "").splitlines()


def test_a_valid_drafts_file_passes_the_check(tmp_path):
    findings = checked(tmp_path / "p", "drafts:\n  a:\n    subject: {ja: 件名, en: Subject}\n"
                       "    body: {ja: '〈名前〉様、{n}件と{limit}日、{as_of}',\n"
                       "           en: 'Dear <name>, {n} {limit} {as_of}'}\n")
    assert [f for f in findings if "drafts.yaml" in f or "[error]" in f] == []


def test_an_unknown_placeholder_or_action_in_drafts_is_refused_at_its_line(tmp_path):
    assert checked(tmp_path / "p", "drafts:\n"
                                   "  a:\n"
                                   "    body: {ja: '{n}件', en: '{nn} items'}\n"
                                   "  c:\n"
                                   "    body: {ja: x, en: y}\n") == [
        'drafts.yaml:3:28: [error] R107 body.en: unknown placeholder {nn} (did you mean "n"?)',
        'drafts.yaml:4:3: [error] R103 "c" is neither an action nor a rule id',
    ]


def test_a_draft_without_one_of_its_languages_is_refused(tmp_path):
    findings = checked(tmp_path / "p", "drafts:\n  a:\n    body: {ja: 本文}\n")
    assert len(findings) == 1 and findings[0].startswith("drafts.yaml:3:11: [error] S002 ")
