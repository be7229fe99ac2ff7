"""`advise ask` as a user meets it: the questions asked (and those never asked), why, "don't know", answers
asked again, Ctrl-C, -o and --force, how, both languages, and a golden transcript in each.

After a deliberate change to the questions or the output, regenerate the transcripts and review the diff:
    ADVISE_UPDATE_GOLDEN=1 python -m pytest tests/test_interview.py
"""
from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from goldens import assert_golden
from packs import make_pack, rule

from advisor.cli import main
from advisor.interview import interview, open_questions, scenario_text
from advisor.load import pack_folders, parse
from advisor.pipeline import advise_document, pack_named

ROOT = Path(__file__).parent.parent
PACK = pack_named("crowdworks")
AS_OF = dt.date(2026, 11, 25)
# The facts a scenario can give, in declaration order, less those that the answers below that use INPUTS (a
# fixed-price contract, work started, no request, nothing else known, 5 of 10 delivered for 50,000 yen) cannot
# reach: worker_response matters only when the client sent the request; last_delivered_on only when everything
# is delivered (the acceptance date); progress_percent only when the number delivered is not known
# (negotiate-progress-pay); rejections only once a request was sent; contract_started_on only for the freelance
# hotline (unpaid work, damages, threats, harassment); client_last_message_on only when the client does not
# answer. contact_prompt_requested_on, declared last, is asked last.
UNUSED = ("worker_response", "last_delivered_on", "progress_percent", "rejections", "contract_started_on",
          "client_last_message_on")
INPUTS = [name for name, fact in PACK.facts.items() if fact.given_by_user and name not in UNUSED]
NO_FEE = [name for name in INPUTS if name != "fee"]  # no amount can be computed, so the fee is not asked


BUNDLED_PLATFORMS = ", ".join(folder.name for folder in pack_folders())  # as "unknown platform" lists them


def ask(*args: str, input=None, lang: str = "en"):
    """advise ask with answers from `input`: (exit code, the conversation on stderr, stdout: only the scenario).
    The CrowdWorks pack unless `args` give --rules (advise ask would first ask which of the bundled packs)."""
    platform = [] if "--rules" in args else ["--platform", "crowdworks"]
    result = CliRunner().invoke(main, ["ask", "--lang", lang, "--as-of", "2026-11-25", *platform, *args], input=input)
    return result.exit_code, result.stderr, result.stdout


def lines(*answers: str) -> str:
    return "".join(answer + "\n" for answer in answers)


def asked(out: str, lang: str = "en") -> list[str]:
    """The facts asked about, in order, recognised by their questions."""
    by_text = {fact.question.get(lang): name for name, fact in PACK.facts.items() if fact.question}
    return [by_text[match] for match in re.findall(r"^Q\d+\. (.*)$", out, re.MULTILINE)]


def advice_part(out: str) -> str:
    """The advice as the interview shows it: from its heading to the line that invites `how`."""
    start = out.index("Your situation\n")
    return out[start:out.index("Type a number (1, or how 1)", start) - 1]  # less the line break that show adds


# ---------------------------------------------------------------------------------------- what is asked

FIRST = ["1", "1"] + [""] * 14  # fixed, work started, then "don't know" up to the number of deliverables


def test_the_questions_are_the_facts_in_declaration_order_each_worded_by_its_question():
    code, out, printed = ask(input=lines(*FIRST, "10", "5", "50000"))
    assert code == 0 and printed.startswith("# Written by advise ask.")
    assert asked(out) == INPUTS
    questions = re.findall(r"^Q\d+\. .*$", out, re.MULTILINE)
    assert questions == [
        "Q1. What kind of contract is it?",
        "Q2. Have you already started working on the deliverables?",
        "Q3. On what date was the early-termination request (for an hourly contract, the contract-end request) "
        "sent, whether you sent it or the client sent it to you? If neither of you has sent one, or you do not "
        "know, just press Enter.",
        "Q4. Who sent that request?",
        "Q5. How did the client answer your request to end the contract?",
        "Q6. Has the client funded the escrow (仮払い)? (If the contract page says 仮払い待ち, it has not.)",
        "Q7. Has the client refused to accept what you delivered, or sent it back?",
        "Q8. Is the client insulting you, using slurs or harassing you?",
        "Q9. Is the client demanding damages or compensation from you?",
        "Q10. Does the job ask for contact off the platform (LINE, e-mail ...), work before escrow, or lead to paid "
        "schools or similar prohibited things?",
        "Q11. Did the client add conditions after the contract was made (all or nothing, a new deadline ...)?",
        "Q12. Which is closest to why you want to leave?",
        "Q13. Has the client stopped answering your messages, or stopped logging in?",
        'Q14. Is the client making threats (for example, "finish it or I will sue")?',
        "Q15. Does the client keep asking for work beyond what the contract covers?",
        "Q16. Is the client refusing to pay for work you have already delivered?",
        "Q17. How many deliverables does the contract have in total (articles, images ...)?",
        "Q18. How many deliverables have you already handed in?",
        "Q19. What is the contract amount, in yen?",
        "Q20. If the contract is paid in milestones, how much is the pay for the milestones already accepted, in yen? "
        "(Enter if none)",
        "Q21. When did you ask support to prompt the client? (Enter if you have not)",
    ]
    assert out.startswith("Answer a few questions about your contract.")
    assert "\nRules: CrowdWorks (crowdworks)\n" in out  # one pack: shown, not asked
    assert "Which platform" not in out


def test_choices_and_hints_are_shown_under_each_question():
    _, out, _ = ask(input=lines(*FIRST, "10", "5"))
    assert "Q1. What kind of contract is it?\n" \
           "  1) fixed price (fixed)\n  2) paid by the hour (hourly)\n  (Enter if you don't know: taken as fixed price (fixed))\n> 1\n" in out
    assert "  1) yes\n  2) no\n  (Enter if you don't know: taken as no)\n" in out
    assert "  (a date, YYYY-MM-DD; not after 2026-11-25; Enter if you don't know)\n" in out
    assert "  (a whole number; 1 or more; Enter if you don't know)\n" in out
    assert "  (a whole number; 0 or more; at most 10; Enter if you don't know)\n" in out  # at_most: units_total
    assert "  (a whole number; ¥1 or more; Enter if you don't know)\n" in out


# Each case: the answers, in order, to the questions that are asked, and those questions. Found by reasoning
# over the rules in rules/crowdworks/, e.g. once the client has accepted, the contract has ended, so whether the
# client answers messages, the escrow and everything about partial pay can no longer change the advice; what
# can still change it after the end is abuse (reports, the price, the freelance hotline) and unpaid work.
ASKED_AFTER_THE_END = ["contract_type", "work_started", "request_sent_on", "request_sent_by", "client_response",
                       "client_harassing", "damages_demanded", "violation_job", "client_threatening", "payment_refused"]
LIFE = ["escrow_funded", "delivery_rejected", "client_harassing", "damages_demanded", "violation_job",
        "terms_changed_by_client", "leave_reason", "client_unresponsive", "client_threatening", "extra_work_demanded",
        "payment_refused"]
BEFORE_UNITS = ["contract_type", "work_started", "request_sent_on", "request_sent_by", "client_response", *LIFE]
NOS = ["", "2", "2", "2", "2", "2", "", "2", "2", "2", "2"]  # LIFE answered: escrow and reason unknown, the rest no
SKIPPING = {
    "hourly contract accepted: nothing about silence, escrow or deliverables": (
        ["2", "1", "", "", "accepted", "2", "2", "2", "2", "2"],
        ASKED_AFTER_THE_END),
    "fixed contract accepted: only how many were delivered (unpaid work), not the total or the fee": (
        ["1", "1", "2026-11-01", "", "accepted", "2", "2", "2", "2", "2", "3"],
        ASKED_AFTER_THE_END + ["units_delivered", "milestones_accepted_pay", "rejections"]),
    "ignored for 24 days, so ended automatically: no silence question, no fee": (
        ["1", "1", "2026-11-01", "", "none", "2", "2", "2", "2", "2", "4"],
        ASKED_AFTER_THE_END + ["units_delivered", "milestones_accepted_pay", "rejections"]),
    "nothing delivered: no fee": (
        ["1", "2", "", "", "", *NOS, "10", "0"],
        BEFORE_UNITS + ["units_total", "units_delivered", "milestones_accepted_pay", "progress_percent",
                        "contact_prompt_requested_on"]),
    "everything delivered: no fee, but when the last delivery was (for the acceptance date)": (
        ["1", "1", "", "", "", *NOS, "10", "10"],
        BEFORE_UNITS + ["units_total", "units_delivered", "last_delivered_on", "milestones_accepted_pay",
                        "contact_prompt_requested_on"]),
    "total unknown: no amount can be computed, so no fee": (
        ["1", "1", "", "", "", *NOS, "", "3"],
        BEFORE_UNITS + ["units_total", "units_delivered", "milestones_accepted_pay", "contact_prompt_requested_on"]),
}


@pytest.mark.parametrize("answers, expected", SKIPPING.values(), ids=SKIPPING.keys())
def test_questions_that_can_no_longer_change_the_advice_are_not_asked(answers, expected):
    code, out, _ = ask(input=lines(*answers))
    assert code == 0
    assert asked(out) == expected
    assert f"Q{len(expected) + 1}." not in out


def complete(pack, given, as_of):
    """Ask as the interview does, answering from `given` (missing: don't know); the facts asked."""
    answers: dict = {}
    for name, fact in pack.facts.items():
        if fact.given_by_user and name in open_questions(pack, answers, as_of):
            answers[name] = given.get(name)
    return answers


def outcome(answers: dict) -> list[tuple[str, str]]:
    advice = advise_document(parse(scenario_text(PACK, answers, AS_OF, "en").encode(), "t"), None, AS_OF)
    return [(item.rule.id, item.message.en + item.because.en) for item in advice.recommendations]


YES_NO = [True, False, None]
CANDIDATES = {
    "contract_type": ["fixed", "hourly", None], "work_started": YES_NO,
    # 6 and 7 days: either side of the shorter automatic-termination period; 13 and 14: of the longer one
    "request_sent_on": [AS_OF - dt.timedelta(days=d) for d in (0, 6, 7, 13, 14, 30)] + [None],
    "request_sent_by": ["worker", "client", None],
    "client_response": ["none", "accepted", "rejected", None], "worker_response": ["none", "accepted", "rejected", None],
    "escrow_funded": YES_NO, "delivery_rejected": YES_NO, "client_harassing": YES_NO, "damages_demanded": YES_NO,
    "violation_job": YES_NO, "terms_changed_by_client": YES_NO,
    "leave_reason": ["health", "client_conduct", "job_not_as_described", None],
    "client_unresponsive": YES_NO, "client_threatening": YES_NO, "extra_work_demanded": YES_NO,
    "payment_refused": YES_NO, "units_total": [1, 4, 10, None], "units_delivered": [0, 1, 4, None],
    "last_delivered_on": [AS_OF - dt.timedelta(days=d) for d in (0, 7, 8)] + [None],
    "fee": [1, 40000, None], "milestones_accepted_pay": [0, 10000, None], "progress_percent": [0, 40, 100, None],
    "rejections": [0, 1, 2, None],
    "contract_started_on": [AS_OF - dt.timedelta(days=d) for d in (29, 30)] + [None],  # the one-month threshold
    "client_last_message_on": [AS_OF - dt.timedelta(days=3), None],
    # asked a day before as_of: support's review is still due; 10 days before: it was due before as_of
    "contact_prompt_requested_on": [AS_OF - dt.timedelta(days=d) for d in (0, 1, 10)] + [None],
}


def test_no_question_left_out_could_have_changed_the_advice():
    """Soundness, by brute force: for many situations, any value of any question not asked gives the same advice."""
    assert sorted(CANDIDATES) == sorted(name for name, fact in PACK.facts.items() if fact.given_by_user)
    chooser = random.Random(20261125)
    for _ in range(80):
        truth = {name: chooser.choice(values) for name, values in CANDIDATES.items()}
        if None not in (truth["units_total"], truth["units_delivered"]) and truth["units_delivered"] > truth["units_total"]:
            truth["units_delivered"] = truth["units_total"]
        answers = complete(PACK, truth, AS_OF)
        expected = outcome(answers)
        for name in set(CANDIDATES) - set(answers):
            for value in CANDIDATES[name]:
                changed = answers | {name: value}
                if None not in (changed.get("units_total"), changed.get("units_delivered")) \
                        and changed["units_delivered"] > changed["units_total"]:
                    continue  # refused by the scenario's validation, and by the interview
                assert outcome(changed) == expected, (answers, name, value)


# ---------------------------------------------------------------------------------------------- why

def test_why_shows_the_advice_the_question_decides_then_asks_it_again():
    code, out, _ = ask(input=lines("1", "1", "", "", "", *NOS[:8], "why", "2", "why", "2", "2"))
    assert code == 0
    assert ("> why\nYour answer can change this advice:\n  - Report it to CrowdWorks support\n"
            "  - Don't pay or cut your price under pressure\n"
            "  - Consult the Freelance Trouble 110 hotline (free lawyers)\n> 2\n\nQ15.") in out
    assert "> why\nYour answer can change this advice:\n  - Decline work and conditions the contract does not include\n" \
           "> 2\n\nQ16." in out
    assert asked(out)[13:15] == ["client_threatening", "extra_work_demanded"]


def test_why_on_the_first_question_lists_every_action_it_can_change_in_order_of_the_advice():
    _, out, _ = ask(input=lines("why", "1"))
    listed = out.split("> why\n")[1].split("> 1\n")[0].splitlines()
    assert listed[0] == "Your answer can change this advice:"
    assert listed[1:5] == ["  - The contract has ended by agreement",  # ended: said first, whatever the type
                           "  - The contract has ended automatically",  # hourly contracts never end by themselves
                           "  - Ask support to prompt the client to reply",  # a silent client, own request waiting
                           "  - Ask the client to reject your pending request, or the delivered work goes unpaid"]
    assert "  - Don't work or deliver before the escrow is funded" in listed  # escrow: fixed price only
    assert "  - Report it to CrowdWorks support" not in listed  # reports do not depend on the contract type


# ------------------------------------------------------------------------------------------ don't know

def test_dont_know_is_written_as_an_unknown_fact_and_facts_never_asked_are_left_out(tmp_path):
    target = tmp_path / "answers.yaml"
    code, out, printed = ask("-o", str(target), input=lines("2", "?", "", "わからない", "unknown", "ＵＮＫＮＯＷＮ",
                                                            "2", "2", "2", "", "2", "2", "2", "1"))
    assert (code, printed) == (0, "")
    assert target.read_text(encoding="utf-8") == (
        "# Written by advise ask. Run advise on this file to see the advice again, or edit it to try other answers.\n"
        "platform: crowdworks\n"
        "as_of: 2026-11-25\n"  # given with --as-of: kept
        "facts:\n"
        "  contract_type: hourly\n"  # hourly: no escrow, no refused delivery, no deliverables to count
        "  work_started:  # unknown\n"
        "  request_sent_on:  # unknown\n"
        "  request_sent_by:  # unknown\n"
        "  client_response:  # unknown\n"
        "  client_harassing:  # unknown\n"
        "  damages_demanded: false\n"
        "  violation_job: false\n"
        "  terms_changed_by_client: false\n"
        "  leave_reason:  # unknown\n"
        "  client_unresponsive: false\n"
        "  client_threatening: false\n"
        "  extra_work_demanded: false\n"
        "  payment_refused: true\n"
        "  contract_started_on:  # unknown\n"  # the end of the input: don't know (unpaid work: the hotline)
        "  contact_prompt_requested_on:  # unknown\n")
    assert out.endswith(f"\nSaved your answers to {target}; advise {target} gives this advice again.\n")


# An hourly contract with nothing else known: no escrow, no refused delivery and nothing counted in
# deliverables (those are fixed-price matters), and nothing that only an answer given would make relevant.
HOURLY_UNKNOWN = ["contract_type", "work_started", "request_sent_on", "request_sent_by", "client_response",
                  "client_harassing", "damages_demanded", "violation_job", "terms_changed_by_client", "leave_reason",
                  "client_unresponsive", "client_threatening", "extra_work_demanded", "payment_refused",
                  "contact_prompt_requested_on"]


def test_the_end_of_the_input_means_dont_know_for_the_rest():
    code, out, scenario = ask(input=lines("2"))
    assert code == 0 and asked(out) == HOURLY_UNKNOWN
    assert "  contract_type: hourly\n  work_started:  # unknown\n" in scenario
    assert scenario.endswith("  payment_refused:  # unknown\n  contact_prompt_requested_on:  # unknown\n")


# -------------------------------------------------------------------------------------- invalid answers

def at_a_terminal(*answers: str, lang: str = "en", **options):
    """The interview as at a terminal, where a wrong answer is explained and asked again: its result, and what
    it showed with each answer after its prompt."""
    shown: list[str] = []

    def typed():
        for answer in answers:
            shown.append(f"> {answer}" if answer else ">")
            yield answer

    result = interview(None, lang, typed(), shown.append, AS_OF, **({"platform": "crowdworks"} | options))
    return result, "\n".join(shown) + "\n"


def test_at_a_terminal_invalid_answers_are_explained_and_asked_again():
    result, out = at_a_terminal(
        "3", "fixd", "FIXED",                                       # contract_type
        "maybe", "Y",                                               # work_started
        "11/01", "2026-02-30", "2026-12-01", "2026-11-17",         # request_sent_on
        "",                                                         # request_sent_by
        "0", "none",                                                # client_response
        "",                                                         # escrow_funded
        "no", "no", "no", "no", "no",                               # refused delivery ... added terms
        "no", "no", "no", "no",                                     # (a request is pending: no reason to word)
        "ten", "1.5", "0", "10",                                    # units_total
        "11", "-1", "4",                                            # units_delivered
        "¥40,000")                                                  # fee
    for problem, again in [
        ("> 3\nPlease type a number from 1 to 2, or one of: fixed price (fixed), paid by the hour (hourly).\n", "> fixd\n"),
        ('> fixd\nDid you mean "fixed"? Please type a number from 1 to 2, or one of: fixed price (fixed), paid by the hour (hourly).\n', "> FIXED\n"),
        ("> maybe\nPlease type a number from 1 to 2, or one of: yes, no.\n", "> Y\n"),
        ('> 11/01\ncannot read "11/01" as a date: it must start with the year in four digits; write it as 2026-11-10, '
         '2026/11/10 or 2026年11月10日\n', "> 2026-02-30\n"),
        ('> 2026-02-30\nthere is no date "2026-02-30": 2026-02 has no day 30 (it has 28 days)\n', "> 2026-12-01\n"),
        ("> 2026-12-01\nThe date cannot be after 2026-11-25.\n", "> 2026-11-17\n"),
        ("> 0\nPlease type a number from 1 to 3, or one of: no answer yet (none), accepted, refused (rejected).\n", "> none\n"),
        ('> ten\nexpected a whole number; got "ten"\n', "> 1.5\n"),
        ('> 1.5\ncannot read "1.5" as a whole number: it has a fraction; write it in digits, e.g. 12, 50000 or 50,000\n',
         "> 0\n"),
        ("> 0\nPlease type 1 or more.\n", "> 10\n"),
        ("> 11\nPlease type at most 10.\n", "> -1\n"),
        ("> -1\nPlease type 0 or more.\n", "> 4\n"),
    ]:
        assert problem + again in out
    # a request was sent: no reason left to word, but the number of rejections can matter (the hotline)
    assert asked(out) == [name for name in INPUTS if name != "leave_reason"][:-1] + [
        "rejections", "contact_prompt_requested_on"]
    facts = result.scenario.split("facts:\n")[1]
    assert facts == ("  contract_type: fixed\n  work_started: true\n  request_sent_on: 2026-11-17\n"
                     "  request_sent_by:  # unknown\n  client_response: none\n  escrow_funded:  # unknown\n"
                     "  delivery_rejected: false\n  client_harassing: false\n  damages_demanded: false\n"
                     "  violation_job: false\n  terms_changed_by_client: false\n"
                     "  client_unresponsive: false\n  client_threatening: false\n"
                     "  extra_work_demanded: false\n  payment_refused: false\n  units_total: 10\n"
                     "  units_delivered: 4\n  fee: 40000\n  milestones_accepted_pay:  # unknown\n"
                     "  rejections:  # unknown\n  contact_prompt_requested_on:  # unknown\n")
    assert "Propose ¥16,000 for the 4 of 10 deliverables" in out


# ------------------------------------------------------------------------------------------------ Ctrl-C

def test_ctrl_c_stops_the_interview_in_the_library():
    def answers():
        yield "1"
        yield "1"
        raise KeyboardInterrupt

    shown: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        interview(None, "en", answers(), shown.append, AS_OF, "crowdworks")
    assert shown[-1].startswith("  (a date, YYYY-MM-DD")  # it was asking Q3


class _InterruptedInput(io.RawIOBase):
    """Standard input that gives some lines, then is interrupted as by Ctrl-C."""

    def __init__(self, text: str):
        self.data = text.encode("utf-8")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.data:
            raise KeyboardInterrupt
        size = min(len(buffer), len(self.data))
        buffer[:size], self.data = self.data[:size], self.data[size:]
        return size


def test_ctrl_c_at_the_command_line_writes_nothing_and_exits_130(tmp_path):
    target = tmp_path / "answers.yaml"
    code, out, printed = ask("-o", str(target), input=io.BufferedReader(_InterruptedInput(lines("1", "1"))))
    assert (code, printed) == (130, "")
    assert out == "advise ask: interrupted; nothing was written\n"  # piped answers are read whole first
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_leaves_no_file_and_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr("advisor.write.os.link", interrupted)  # write.write_new, shared with --calendar
    code, out, printed = ask("-o", str(tmp_path / "answers.yaml"), input=lines("1"))
    assert (code, printed) == (130, "")
    assert out.endswith("\nadvise ask: interrupted; nothing was written\n")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------- -o and --force

def test_an_existing_file_is_refused_before_any_question_unless_force(tmp_path):
    target = tmp_path / "answers.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    code, out, printed = ask("-o", str(target), input=lines("1"))
    assert (code, printed) == (2, "")
    assert out == f"{target}: already exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    code, out, printed = ask("-o", str(target), "--force", input=lines("2"))
    assert (code, printed) == (0, "")
    assert "  contract_type: hourly\n" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_a_file_created_while_the_questions_were_answered_is_not_overwritten(tmp_path, monkeypatch):
    target = tmp_path / "answers.yaml"
    real = interview

    def meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        target.write_text("written meanwhile\n", encoding="utf-8")
        return result

    monkeypatch.setattr("advisor.interview.interview", meanwhile)
    code, out, printed = ask("-o", str(target), input=lines("1"))
    assert (code, printed) == (2, "")
    assert out.endswith(f"\n{target}: already exists; add --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "written meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_a_missing_folder_is_refused_before_any_question(tmp_path):
    code, out, printed = ask("-o", str(tmp_path / "no" / "answers.yaml"), input=lines("1"))
    assert (code, printed) == (2, "")
    assert out.startswith(f"{tmp_path / 'no' / 'answers.yaml'}: cannot write: ")


def test_the_written_file_gives_the_same_advice(tmp_path):
    target = tmp_path / "answers.yaml"
    extra_work = ["", "2", "2", "2", "2", "2", "", "2", "2", "1", "2"]  # LIFE answered; extra work: yes
    code, out, _ = ask("-o", str(target), input=lines("1", "1", "2026-11-17", "", "3", *extra_work, "10", "5", "50000"))
    assert code == 0
    again = CliRunner().invoke(main, ["--lang", "en", str(target)])
    assert again.exit_code == 0
    assert advice_part(out) == again.stdout
    assert "1. Decline work and conditions the contract does not include\n" in again.stdout  # extra work demanded
    assert "2. Negotiate pay for the work already delivered\n" in again.stdout  # before the request: money first
    assert "3. Only if no pay can be agreed, send the request again with your reasons\n" in again.stdout


def test_without_o_the_scenario_is_printed_after_the_advice_and_loads_back():
    code, out, text = ask(input=lines("1", "2", "", "", "1"))
    assert code == 0
    heading = "\nYour answers as a scenario file (save it as situation.yaml, then run advise situation.yaml):\n"
    assert out.index(heading) > out.index("Your situation") and out.endswith(heading)  # the file itself: on stdout
    advice = advise_document(parse(text.encode("utf-8"), "printed.yaml"), None, dt.date(2030, 1, 1))
    assert advice.scenario.as_of == AS_OF
    assert [f"{rank}. {item.title.en}" for rank, item in enumerate(advice.recommendations, 1)] == \
        [line for line in advice_part(out).splitlines() if re.match(r"\d+\. ", line)]


# ----------------------------------------------------------------------------------------------- how

REJECTED_HALF = ["1", "1", "2026-11-17", "", "3", *NOS, "10", "5", "50000", "", "", ""]  # 4 recommendations
HOW_HINT = "Type a number (1, or how 1) to see why that advice was given; press Enter to finish.\n"


def test_how_explains_a_recommendation_by_number_bare_number_or_action():
    code, out, _ = ask(input=lines(*REJECTED_HALF, "how 1", "2", "how negotiate_with_client", ""))
    assert code == 0
    after = out.split(HOW_HINT)[1]
    assert "> how 1\n1. Negotiate pay for the work already delivered\n   Rule: crowdworks/rules.yaml:" in after
    assert "(negotiate-partial-pay)" in after and "Computed: pro_rata_pay = " in after
    assert "> 2\n2. Only if no pay can be agreed, send the request again with your reasons\n   Rule: " in after
    assert "> how negotiate_with_client\n3. Talk it out with the client\n   Rule: crowdworks/rules.yaml:" in after
    assert "(negotiate-after-rejection)" in after


def test_at_a_terminal_a_wrong_how_is_explained_and_asked_again():
    _, out = at_a_terminal(*REJECTED_HALF, "how", "what now", "how 9", "9", "1", "")
    help_line = ("Type the number (1 to 4) or the action id of a recommendation, e.g. 1 or how 1; "
                 "press Enter to finish.")
    for typed in ("how", "what now", "how 9", "9"):
        assert f"> {typed}\n{help_line}\n" in out
    assert "> 1\n1. Negotiate pay for the work already delivered\n" in out


def edited_pack(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the CrowdWorks pack with `old` (which must be in `file`) replaced by `new`."""
    pack = tmp_path / "crowdworks"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    text = (pack / file).read_text(encoding="utf-8")
    assert old in text
    (pack / file).write_text(text.replace(old, new), encoding="utf-8")
    return pack


def test_rules_that_cannot_apply_ask_nothing_and_no_advice_offers_no_how(tmp_path):
    pack = edited_pack(tmp_path, "rules.yaml", "    priority: ", "    priority: ")
    for name in ("rules.yaml", "requests.yaml"):  # every rule file: no rule of the pack applies in 2026
        text = re.sub(r"    valid_(from|until): .*\n", "", (pack / name).read_text(encoding="utf-8"))
        (pack / name).write_text(text.replace("    priority: ", "    valid_until: 2020-01-01\n    priority: "),
                                 encoding="utf-8")
    code, out, printed = ask("--rules", str(pack), input=lines("1", "how 1"))
    assert code == 0
    assert asked(out) == [] and "Type a number" not in out
    assert "No rule matched this situation." in out
    assert printed.endswith("as_of: 2026-11-25\nfacts: {}\n")


# ------------------------------------------------------------------------------------------- languages

def test_katakana_yes_and_no_answer_as_hiragana_ones(tmp_path):
    """ハイ and ｲｲｴ (an input method offers them) answer as はい and いいえ, as in a scenario file."""
    hiragana = ask(input=lines("２", "はい", "", "", "3", "いいえ", "いいえ"), lang="ja")
    katakana = ask(input=lines("２", "ハイ", "", "", "3", "ｲｲｴ", "イイエ"), lang="ja")
    assert katakana[0] == hiragana[0] == 0
    assert katakana[2] == hiragana[2] and "work_started: true" in hiragana[2]


def test_japanese_questions_and_answers_in_japanese_words(tmp_path):
    target = tmp_path / "answers.yaml"
    code, out, printed = ask("-o", str(target), input=lines("２", "はい", "", "", "3", "いいえ", "いいえ", "いいえ", "いいえ",
                                                            "", "いいえ", "わからない", "いいえ", "いいえ"), lang="ja")
    assert (code, printed) == (0, "")
    assert asked(out, "ja")[:5] == ["contract_type", "work_started", "request_sent_on", "request_sent_by",
                                    "client_response"]
    assert "Q1. 契約の形式はどちらですか？\n  1) 固定報酬制\n  2) 時間単価制\n" \
           "  ［わからなければ Enter（「固定報酬制」として扱います）］\n> ２\n" in out
    assert "  1) はい\n  2) いいえ\n" in out
    assert "\n1. 事務局に違反報告する\n" not in out
    assert "あなたの状況\nクラウドワークス・2026年11月25日時点\n" in out
    assert out.endswith(f"回答を {target} に保存しました。advise {target} で同じ助言をもう一度表示できます。\n")
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# advise ask で作成しました。")
    assert "  work_started: true\n  request_sent_on:  # 不明\n  request_sent_by:  # 不明\n  client_response: rejected\n" \
        in written
    assert "  client_threatening:  # 不明\n" in written


def test_a_fact_without_a_question_is_asked_with_its_description(tmp_path):
    question = "    question:\n      ja: 納品物の作業はもう始めていますか？\n      en: Have you already started working on the deliverables?\n"
    pack = edited_pack(tmp_path, "facts.yaml", question, "")
    _, out, _ = ask("--rules", str(pack), input=lines("1"))
    assert "\nQ2. Whether work on the deliverables has begun\n  1) yes\n" in out


def test_enum_words_yaml_would_misread_are_quoted(tmp_path):
    pack = edited_pack(tmp_path, "facts.yaml", "values: [fixed, hourly]\n    labels:\n",
                       'values: [fixed, hourly, "no", "on"]\n    labels:\n      "no": {ja: ノー, en: "no"}\n'
                       '      "on": {ja: オン, en: "on"}\n')
    target = tmp_path / "answers.yaml"
    code, out, printed = ask("--rules", str(pack), "-o", str(target), input=lines("3"))
    assert (code, printed) == (0, "")
    assert '  contract_type: "no"\n' in target.read_text(encoding="utf-8")
    again = CliRunner().invoke(main, ["--lang", "en", "--rules", str(pack), str(target)])
    assert again.exit_code == 0 and advice_part(out) == again.stdout


def test_the_platform_is_asked_only_when_there_is_a_choice(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "crowdworks", folder / "crowdworks")
    shutil.copytree(ROOT / "rules" / "crowdworks", folder / "other")
    pack_file = folder / "other" / "pack.yaml"
    pack_file.write_text(pack_file.read_text(encoding="utf-8").replace("id: crowdworks", "id: other")
                         .replace("  en: CrowdWorks\n", "  en: Other\n"), encoding="utf-8")
    code, out, printed = ask("--rules", str(folder), input=lines("2", "1"))
    assert code == 0
    assert out.startswith("Answer a few questions about your contract.")
    assert "Which platform is the contract on?\n  1) CrowdWorks (crowdworks)\n  2) Other (other)\n" \
           "  (Enter: crowdworks)\n> 2\nRules: Other (other)\n" in out
    assert "platform: other\n" in printed
    code, out, printed = ask("--rules", str(folder), input=lines("3", "2", "1"))
    assert (code, printed) == (2, "")
    assert out.endswith("> 3\n<stdin>:1:1: \"3\" does not answer the question of the platform: "
                        "Please type a number from 1 to 2, or one of: crowdworks, other.\n")
    _, out, _ = ask("--rules", str(folder), input=lines(""))
    assert "Rules: CrowdWorks (crowdworks)\n" in out
    _, out, _ = ask("--rules", str(folder / "other"), input=lines("1"))
    assert "Which platform" not in out and "Rules: Other (other)\n" in out
    # a whole scenario's platform: chooses the pack (it was crowdworks whatever the file said)
    answers = tmp_path / "answers.yaml"
    answers.write_text("platform: other\nfacts:\n  contract_type: hourly\n", encoding="utf-8")
    code, out, printed = ask("--rules", str(folder), "--answers", str(answers))
    assert code == 0 and out.startswith("Rules: Other (other)\n") and "platform: other\n" in printed


# ---------------------------------------------------------------------------------------------- golden

TRANSCRIPTS = {
    "en": ["1", "why", "yes", "2026-11-17", "1", "1", "1", "2", "2", "2", "2", "2", "2", "2", "2", "2",
           "10", "4", "40,000", "", "", "", "how 1", ""],
    "ja": ["2", "はい", "", "", "3", "いいえ", "いいえ", "いいえ", "いいえ", "", "いいえ", "1", "2", "2", "", "",
           "2026-11-24", "3", ""],
}


@pytest.mark.parametrize("lang", TRANSCRIPTS)
def test_transcript_matches_golden(lang, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, printed = ask("-o", "situation.yaml", input=lines(*TRANSCRIPTS[lang]), lang=lang)
    assert (code, printed) == (0, "")
    transcript = out + "\n--- situation.yaml\n" + (tmp_path / "situation.yaml").read_text(encoding="utf-8")
    assert_golden(f"ask-{lang}.txt", transcript)


def test_the_scripted_example_in_the_scenario_docs_is_what_advise_ask_prints(tmp_path, monkeypatch):
    doc = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    block = doc.split("\n$ printf '")[1].split("\n```\n")[0]
    script, shown = block.split("' | advise ask --lang en --as-of 2026-11-25 -o hourly.yaml\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = ask("-o", "hourly.yaml", input=script.replace("\\n", "\n"))
    assert code == 0
    real = out + "$ cat hourly.yaml\n" + (tmp_path / "hourly.yaml").read_text(encoding="utf-8")
    position = 0
    for part in shown.split("…\n"):
        assert part in real[position:], part
        position = real.index(part, position) + len(part)


def test_a_question_is_a_text_in_both_languages(tmp_path):
    pack = edited_pack(tmp_path, "facts.yaml",
                       "      ja: 納品物の作業はもう始めていますか？\n      en: Have you already started working on the deliverables?\n",
                       "      en: Have you already started working on the deliverables?\n")
    result = CliRunner().invoke(main, ["check", str(pack)])
    assert result.exit_code == 1
    assert result.stdout == f'{pack / "facts.yaml"}:26:7: [error] S002 missing key "ja" in a text (ja and en)\n'


class _Terminal(io.RawIOBase):
    """Standard input that is a terminal; what is typed comes from input(), replaced by the test."""

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return True


def typing(monkeypatch, *typed: str, last: type[BaseException] = EOFError) -> None:
    """At the fake terminal, input() returns `typed`, then raises `last` (EOFError: Ctrl-D)."""
    answers = iter(typed)

    def fake_input(prompt: str = "") -> str:
        assert prompt == ""  # the prompt goes to stderr, with the rest of the conversation
        try:
            return next(answers)
        except StopIteration:
            raise last from None

    monkeypatch.setattr("builtins.input", fake_input)


@pytest.mark.parametrize("last", [EOFError, KeyboardInterrupt], ids=["Ctrl-D", "Ctrl-C"])
def test_at_a_terminal_ctrl_d_stops_as_ctrl_c_does(monkeypatch, tmp_path, last):
    target = tmp_path / "answers.yaml"
    typing(monkeypatch, "2", "1", last=last)
    status, out, printed = ask("-o", str(target), input=io.BufferedReader(_Terminal()))
    assert (status, printed) == (130, "")
    assert "  (Enter if you don't know: taken as fixed price (fixed))\n> \nQ2." in out  # the prompt; the terminal echoes the answer
    assert "> 2" not in out and "Q3." in out and "Your situation" not in out
    assert out.endswith("> \nadvise ask: interrupted; nothing was written\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("last", [EOFError, KeyboardInterrupt], ids=["Ctrl-D", "Ctrl-C"])
def test_stopped_after_the_advice_the_answers_are_printed_and_nothing_written(monkeypatch, tmp_path, last):
    target = tmp_path / "answers.yaml"
    typing(monkeypatch, *REJECTED_HALF, "1", last=last)
    status, out, printed = ask("-o", str(target), input=io.BufferedReader(_Terminal()))
    assert status == 130
    assert "> 1. Negotiate pay for the work already delivered\n   Rule: " in out  # the explanation asked for
    assert out.endswith("Your answers as a scenario file (save it as situation.yaml, then run advise situation.yaml):\n"
                        "advise ask: interrupted; nothing was written (your answers are printed as a scenario file)\n")
    assert printed.startswith("# Written by advise ask.") and "  units_delivered: 5\n  fee: 50000\n" in printed
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------------------- answers from a script

def test_a_line_that_does_not_answer_stops_at_its_line_and_writes_nothing(tmp_path):
    target = tmp_path / "answers.yaml"
    # Q1 answered, why asked, Q2 skipped, then a date in the wrong form on line 4: never taken for Q4.
    code, out, printed = ask("-o", str(target), input=lines("1", "why", "", "11/10", "1"))
    assert (code, printed) == (2, "")
    assert out.endswith('> 11/10\n<stdin>:4:1: "11/10" does not answer Q3 (request_sent_on): cannot read "11/10" as '
                        "a date: it must start with the year in four digits; write it as 2026-11-10, 2026/11/10 or "
                        "2026年11月10日\n")
    assert "Q4." not in out and "Your situation" not in out
    assert list(tmp_path.iterdir()) == []


def test_a_line_that_does_not_answer_in_japanese():
    code, out, printed = ask(input=lines("fixd"), lang="ja")
    assert (code, printed) == (2, "")
    assert out.endswith("> fixd\n<stdin>:1:1: 「fixd」はQ1（contract_type）への回答になっていません：「fixed」のことですか？ "
                        "1〜2の番号か、次のいずれかを入力してください：固定報酬制、時間単価制\n")
    code, out, _ = ask(input=lines("1", "たぶん"), lang="ja")  # the words of a yes/no question, listed in Japanese
    assert code == 2
    assert out.endswith("> たぶん\n<stdin>:2:1: 「たぶん」はQ2（work_started）への回答になっていません："
                        "1〜2の番号か、次のいずれかを入力してください：はい、いいえ\n")


@pytest.mark.parametrize("lang, typed, expected", [
    ("en", "2026/11/10（火）", '<stdin>:3:1: "2026/11/10（火）" does not answer Q3 (request_sent_on): cannot read '
     '"2026/11/10（火）" as a date: "（" (U+FF08) cannot be part of it; write it as 2026-11-10, 2026/11/10 or '
     "2026年11月10日\n"),
    ("ja", "2026/11/10（火）", "<stdin>:3:1: 「2026/11/10（火）」はQ3（request_sent_on）への回答になっていません："
     "「2026/11/10（火）」を日付として読めません。「（」（U+FF08）はここに書けません。2026-11-10、2026/11/10、"
     "2026年11月10日のように書いてください\n"),
    ("en", "２０２６年１１月１０日㈫", '<stdin>:3:1: "２０２６年１１月１０日㈫" does not answer Q3 (request_sent_on): cannot '
     'read "２０２６年１１月１０日㈫" as a date: "㈫" (U+322B) cannot be part of it; write it as 2026-11-10, 2026/11/10 or '
     "2026年11月10日\n"),
])
def test_a_line_that_does_not_answer_is_quoted_and_its_character_named_as_typed(lang, typed, expected):
    """Not as NFKC folds them to read the answer: "2026/11/10(火)" and "(" (U+0028) were never typed."""
    code, out, printed = ask(input=lines("2", "1", typed), lang=lang)
    assert (code, printed) == (2, "") and out.endswith(f"> {typed}\n{expected}")


@pytest.mark.parametrize("lang, expected", [
    ("en", 'cannot read "2026/11/10（火）" as a date: "（" (U+FF08) cannot be part of it; write it as 2026-11-10, '
           "2026/11/10 or 2026年11月10日"),
    ("ja", "「2026/11/10（火）」を日付として読めません。「（」（U+FF08）はここに書けません。2026-11-10、2026/11/10、"
           "2026年11月10日のように書いてください"),
])
def test_at_a_terminal_an_answer_that_does_not_fit_is_quoted_as_typed(lang, expected):
    result, out = at_a_terminal("2", "1", "2026/11/10（火）", "２０２６/１１/１０", lang=lang)
    assert f"> 2026/11/10（火）\n{expected}\n> ２０２６/１１/１０\n" in out
    assert "  request_sent_on: 2026-11-10\n" in result.scenario  # full-width digits are read, as in a scenario


def test_a_near_miss_of_a_choice_is_offered_as_did_you_mean():
    code, out, _ = ask(input=lines("1", "yse"))
    assert code == 2
    assert out.endswith('<stdin>:2:1: "yse" does not answer Q2 (work_started): Did you mean "yes"? '
                        "Please type a number from 1 to 2, or one of: yes, no.\n")
    _, shown = at_a_terminal("houry", "2", lang="ja")
    assert "> houry\n「hourly」のことですか？ 1〜2の番号か、次のいずれかを入力してください：固定報酬制、時間単価制\n> 2\n" in shown
    _, shown = at_a_terminal("maybe", "2")
    assert "> maybe\nPlease type a number from 1 to 2, or one of: fixed price (fixed), paid by the hour (hourly).\n" in shown  # nothing near


def test_a_line_that_does_not_answer_after_the_advice_stops_too(tmp_path):
    target = tmp_path / "answers.yaml"
    code, out, printed = ask("-o", str(target), input=lines(*REJECTED_HALF, "1", "how 9"))
    assert (code, printed) == (2, "")
    line = len(REJECTED_HALF) + 2
    assert out.endswith(f'> how 9\n<stdin>:{line}:1: "how 9" does not answer the question after the advice (how N): '
                        "Type the number (1 to 4) or the action id of a recommendation, e.g. 1 or how 1; "
                        "press Enter to finish.\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang, expected", [
    ("en", '"how negotiate_with_clent" does not answer the question after the advice (how N): Did you mean '
           '"negotiate_with_client"? Type the number (1 to 4) or the action id of a recommendation, e.g. 1 or how 1; '
           "press Enter to finish."),
    ("ja", '「how negotiate_with_clent」は助言のあとの入力（how 番号）への回答になっていません：「negotiate_with_client」の'
           "ことですか？ 助言の番号（1〜4）またはアクションIDを入力してください（例：1 または how 1）。Enter で終了します。"),
])
def test_a_mistyped_action_after_how_is_answered_with_the_one_it_may_mean(lang, expected):
    code, out, printed = ask(input=lines(*REJECTED_HALF, "how negotiate_with_clent"), lang=lang)
    assert (code, printed) == (2, "")
    assert out.endswith(f"> how negotiate_with_clent\n<stdin>:{len(REJECTED_HALF) + 1}:1: {expected}\n")
    _, shown = at_a_terminal(*REJECTED_HALF, "negotiate-with-client", "how negotiate_with_client", "")
    assert ('> negotiate-with-client\nDid you mean "negotiate_with_client"? Type the number (1 to 4) or the action id '
            "of a recommendation, e.g. 1 or how 1; press Enter to finish.\n> how negotiate_with_client\n"
            "3. Talk it out with the client\n") in shown
    _, shown = at_a_terminal(*REJECTED_HALF, "how 5", "")  # a number is not an action id: nothing to offer
    assert "> how 5\nType the number (1 to 4) or the action id of a recommendation" in shown


# ------------------------------------------------------------------------------------ answers by name

ANSWERS = """\
contract_type: hourly
request_sent_on: 2026-11-10
request_sent_by: worker
client_response: accepted
payment_refused: true
"""  # work_started, asked between contract_type and request_sent_on, is left out


def test_answers_by_name_without_a_terminal_ask_nothing_and_leave_the_rest_unknown(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    code, out, printed = ask("--answers", str(answers))
    assert code == 0
    assert "Q1." not in out and "Answer a few questions" not in out and "Type a number" not in out
    assert out.startswith("Rules: CrowdWorks (crowdworks)\n\nYour situation\n")
    assert printed == (
        "# Written by advise ask. Run advise on this file to see the advice again, or edit it to try other answers.\n"
        "platform: crowdworks\n"
        "as_of: 2026-11-25\n"
        "facts:\n"
        "  contract_type: hourly\n"
        "  work_started:  # unknown\n"  # left out but it can change the advice: written as unknown
        "  request_sent_on: 2026-11-10\n"
        "  request_sent_by: worker\n"
        "  client_response: accepted\n"
        "  client_harassing:  # unknown\n"
        "  damages_demanded:  # unknown\n"
        "  violation_job:  # unknown\n"
        "  client_threatening:  # unknown\n"
        "  payment_refused: true\n"
        "  contract_started_on:  # unknown\n")  # unpaid work: the freelance hotline, whatever the rejections


def test_answers_by_name_and_by_line_with_a_skipped_question_give_the_same_scenario(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    _, _, by_name = ask("--answers", str(answers))
    # by line: Q2 (work_started) skipped with Enter; every later answer still lands on its own question
    code, out, by_line = ask(input=lines("2", "", "2026-11-10", "1", "accepted", "", "", "", "", "yes", ""))
    assert code == 0
    assert asked(out) == ["contract_type", "work_started", "request_sent_on", "request_sent_by", "client_response",
                          "client_harassing", "damages_demanded", "violation_job", "client_threatening",
                          "payment_refused", "contract_started_on"]
    assert by_line == by_name


def test_answers_by_name_at_a_terminal_ask_only_what_they_leave_open(monkeypatch, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    typing(monkeypatch, "1", "2", "2", "2", "2", "2026-10-01", "")
    code, out, printed = ask("--answers", str(answers), input=io.BufferedReader(_Terminal()))
    assert code == 0
    assert asked(out) == ["work_started", "client_harassing", "damages_demanded", "violation_job", "client_threatening",
                          "contract_started_on"]
    assert out.startswith("Answer a few questions about your contract.")
    assert "\nQ1. Have you already started working on the deliverables?\n" in out  # numbered from the first asked
    assert "  work_started: true\n  request_sent_on: 2026-11-10\n" in printed
    assert printed.endswith("  payment_refused: true\n  contract_started_on: 2026-10-01\n")


def test_answers_from_standard_input_with_answers_dash():
    code, out, printed = ask("--answers", "-", input=ANSWERS)
    assert code == 0 and "Q1." not in out
    assert "  contract_type: hourly\n  work_started:  # unknown\n" in printed


def test_a_fact_given_by_name_that_would_not_be_asked_is_kept():
    code, _, printed = ask("--answers", "-", input=ANSWERS + "worker_response: none\n")
    assert code == 0 and "  client_response: accepted\n  worker_response: none\n" in printed


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "contract_type: hourly\ncontract_typ: fixed\n",
     'answers.yaml:2:1: unknown fact "contract_typ" (did you mean "contract_type"?); facts: '),
    ("en", "contract_type: hourly\nrequest_sent_on: 2026-12-01\n",
     "answers.yaml:2:18: request_sent_on (2026-12-01) is after as_of (2026-11-25)"),
    ("en", "units_total: 4\nunits_delivered: 5\n",
     "answers.yaml:2:18: units_delivered (5) is more than units_total (4)"),
    ("en", "- contract_type: hourly\n",
     "answers.yaml:1:1: the answers must be written as under a scenario's facts:, one fact a line (name: value), "
     "not a list"),
    ("ja", "contract_type: hourly\ncontract_typ: fixed\n", 'answers.yaml:2:1: 不明なファクト「contract_typ」です'),
    ("ja", "- contract_type: hourly\n",
     "answers.yaml:1:1: 回答は、シナリオの facts: の下と同じく、1 行に 1 つずつ「name: value」の形で書いてください（リスト は使えません）"),
])
def test_a_mistake_in_the_answers_file_is_reported_at_its_line_and_nothing_else(tmp_path, monkeypatch, lang, text,
                                                                                   expected):
    monkeypatch.chdir(tmp_path)
    Path("answers.yaml").write_text(text, encoding="utf-8")
    code, out, printed = ask("--answers", "answers.yaml", "-o", "situation.yaml", input=lines("1"), lang=lang)
    assert (code, printed) == (2, "")
    assert out.startswith(expected) and out.count("\n") == 1  # the mistake alone: no question, no advice
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_a_missing_answers_file_is_reported(tmp_path):
    code, out, printed = ask("--answers", str(tmp_path / "none.yaml"))
    assert (code, printed) == (2, "")
    assert out.startswith(str(tmp_path / "none.yaml")) and out.count("\n") == 1  # the reason alone, on stderr


# ------------------------------------------------------------------------------------------------ as_of

def test_the_scenario_names_no_date_unless_asked(tmp_path):
    today = dt.date.today().isoformat()
    result = CliRunner().invoke(main, ["ask", "--lang", "en", "--platform", "crowdworks"], input=lines("2"))
    assert result.exit_code == 0
    assert "as_of" not in result.stdout and result.stdout.startswith("# Written by advise ask.")
    assert f"CrowdWorks · as of {today}\n" in result.stderr  # advised for today all the same
    kept = CliRunner().invoke(main, ["ask", "--lang", "en", "--platform", "crowdworks", "--keep-date"], input=lines("2"))
    assert kept.exit_code == 0 and f"\nas_of: {today}\nfacts:\n" in kept.stdout
    chosen = CliRunner().invoke(main, ["ask", "--lang", "en", "--platform", "crowdworks", "--as-of", "2026-11-25"],
                                input=lines("2"))
    assert "\nas_of: 2026-11-25\nfacts:\n" in chosen.stdout  # a date chosen with --as-of is kept


# -------------------------------------------------------------------------------- pipes and a terminal

def advise_ask(*args: str, **options) -> subprocess.Popen:
    """advise ask in a process of its own, as a shell runs it."""
    return subprocess.Popen([sys.executable, "-m", "advisor", "ask", "--lang", "en", "--as-of", "2026-11-25",
                             "--platform", "crowdworks", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)


def test_advise_ask_into_a_file_writes_only_the_scenario(tmp_path):
    with open(tmp_path / "situation.yaml", "wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "advisor", "ask", "--lang", "en", "--as-of", "2026-11-25",
                               "--platform", "crowdworks"],
                              input=lines("2", "1").encode(), stdout=stdout, stderr=subprocess.PIPE)
    assert done.returncode == 0
    written = (tmp_path / "situation.yaml").read_text(encoding="utf-8")
    assert written.startswith("# Written by advise ask.") and "  contract_type: hourly\n  work_started: true\n" in written
    assert "Q1." in done.stderr.decode() and "Your situation" in done.stderr.decode()
    again = CliRunner().invoke(main, ["--lang", "en", str(tmp_path / "situation.yaml")])
    assert again.exit_code == 0 and again.stdout in done.stderr.decode()  # the same advice


def read_until(stream, marker: bytes, timeout: float = 60) -> bytes:
    """What `stream` says up to and including `marker` (the process is then waiting at a prompt)."""
    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(stream.fileno(), 65536) if ready else b""
        assert chunk, seen.decode()
        seen += chunk
    return seen


@pytest.mark.parametrize("stop", ["Ctrl-D", "SIGINT"])
def test_at_a_real_terminal_ctrl_d_and_sigint_exit_130_and_write_nothing(tmp_path, stop):
    controller, terminal = os.openpty()
    process = advise_ask("-o", str(tmp_path / "situation.yaml"), stdin=terminal)
    os.close(terminal)
    try:
        read_until(process.stderr, b"taken as fixed price (fixed))\n> ")
        os.write(controller, b"2\n")
        read_until(process.stderr, b"taken as no)\n> ")  # Q2: at its prompt
        if stop == "Ctrl-D":
            os.write(controller, b"\x04")
        else:
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
    assert (process.returncode, out) == (130, b"")
    assert err.decode().endswith("advise ask: interrupted; nothing was written\n")
    assert list(tmp_path.iterdir()) == []


def test_at_a_real_terminal_ctrl_d_after_the_advice_prints_the_answers(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    _, _, complete = ask("--answers", str(answers))  # every question that matters, answered or unknown
    answers.write_text(textwrap.dedent(complete.split("facts:\n")[1]), encoding="utf-8")
    controller, terminal = os.openpty()
    process = advise_ask("--answers", str(answers), "-o", str(tmp_path / "situation.yaml"), stdin=terminal)
    os.close(terminal)
    try:
        shown = read_until(process.stderr, b"press Enter to finish.\n> ")
        os.write(controller, b"\x04")
        out, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
    assert b"Q1." not in shown  # nothing left to ask
    assert process.returncode == 130
    assert out.decode() == complete  # not lost: on standard output
    assert err.decode().endswith("nothing was written (your answers are printed as a scenario file)\n")
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_a_scenario_written_by_ask_answers_it_again(tmp_path):
    """The file ask wrote (platform:, facts:) is taken as answers: the same scenario comes out."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    first = tmp_path / "first.yaml"
    assert ask("--answers", str(answers), "-o", str(first))[0] == 0
    code, _, printed = ask("--answers", str(first))
    assert (code, printed) == (0, first.read_text(encoding="utf-8"))


@pytest.mark.parametrize("scenario", ["title: no facts yet\nplatform: crowdworks\nas_of: 2026-11-25\n",
                                      "platform: crowdworks\nas_of: 2026-11-25\nfacts:\n", "title: no facts yet\n"])
def test_a_scenario_without_facts_answers_nothing_and_its_keys_are_no_facts(tmp_path, scenario):
    """A whole scenario file with no facts (no facts:, or facts: with nothing under it) is a scenario, as one
    with facts is: it answers no question, as an empty answers file does. It was read as answers by fact name
    and refused with unknown fact "platform", "title", "as_of"."""
    nothing = tmp_path / "nothing.yaml"
    nothing.write_text("{}\n", encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text(scenario, encoding="utf-8")
    code, out, printed = ask("--answers", str(answers))
    _, out_nothing, printed_nothing = ask("--answers", str(nothing))
    if scenario.startswith("title:"):  # the title is kept: shown above the advice and written in the scenario
        out_nothing = out_nothing.replace("\n\nYour situation\n", "\n\nno facts yet\n")
        printed_nothing = printed_nothing.replace("\nplatform:", '\ntitle: "no facts yet"\nplatform:')
    assert (code, out, printed) == (0, out_nothing, printed_nothing)


def test_a_scenario_with_a_timeline_and_no_facts_answers_what_its_events_set(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("as_of: 2026-11-25\nevents:\n  - {date: 2026-11-10, event: termination_requested}\n",
                       encoding="utf-8")
    code, _, printed = ask("--answers", str(answers))
    assert code == 0
    assert "  request_sent_on: 2026-11-10\n  request_sent_by: worker\n  client_response: none\n" in printed


@pytest.mark.parametrize("raw, en, ja", [
    ("はい\nfixed\n".encode("shift_jis"),
     '<stdin>:1:1: standard input is not UTF-8: it looks like Shift_JIS (CP932), in which this reads "は"; '
     "convert it to UTF-8 before sending it to advise ask\n",
     "<stdin>:1:1: 標準入力が UTF-8 ではありません。Shift_JIS (CP932) のようです（ここは「は」と読めます）。"
     "UTF-8 に変換してから advise ask に送ってください\n"),
    ("はい\nfixed\n".encode("utf-16-le"),
     "<stdin>: standard input looks like UTF-16 LE without a byte order mark; convert it to UTF-8 before sending "
     "it to advise ask\n",
     "<stdin>: 標準入力が BOM なしの UTF-16 LE のようです。UTF-8 に変換してから advise ask に送ってください\n"),
    (b"1\n\xff\n", "<stdin>:2:1: not valid UTF-8 (byte 0xff); send the answers to advise ask as UTF-8\n",
     "<stdin>:2:1: UTF-8 として正しくありません（バイト 0xff）。advise ask には回答を UTF-8 で送ってください\n"),
])
def test_piped_answers_that_are_not_utf8_are_refused_before_any_question(raw, en, ja):
    """Answers piped in are converted by whoever sends them: the message says so (it said "save the file as
    UTF-8"), for answers line by line and for an answers file read with --answers -."""
    for lang, expected in (("en", en), ("ja", ja)):
        assert ask(input=raw, lang=lang) == (2, expected, "")
    answers = "contract_type: hourly\nrequest_sent_by: worker\n".encode("shift_jis") + b"x: \x82\xcd\n"
    assert ask("--answers", "-", input=answers) == (
        2, '<stdin>:3:4: standard input is not UTF-8: it looks like Shift_JIS (CP932), in which this reads "は"; '
           "convert it to UTF-8 before sending it to advise ask\n", "")


def test_an_answers_file_not_in_utf8_is_still_to_be_saved_as_utf8(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_bytes("contract_type: はい\n".encode("shift_jis"))
    code, err, out = ask("--answers", str(answers))
    assert (code, out) == (2, "") and err.startswith(f"{answers}:1:16: the file is not UTF-8") and "save the file" in err


# ----------------------------------------------------------------------------- a whole scenario as answers

WHOLE = """\
title: Request sent
platform: crowdworks
as_of: 2026-11-20
params:
  auto_termination_days: 14
facts:
  contract_type: fixed
  request_sent_on: 2026-11-10
  client_response: none
"""


def ask_without_date(*args: str, lang: str = "en", input=None):
    result = CliRunner().invoke(main, ["ask", "--lang", lang, *args], input=input)
    return result.exit_code, result.stderr, result.stdout


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_whole_scenario_keeps_its_as_of_params_platform_and_title(tmp_path, lang):
    """Its as_of:, params: and title: were dropped: the advice was for today, with both automatic-end dates."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(WHOLE, encoding="utf-8")
    code, out, printed = ask_without_date("--answers", str(answers), lang=lang)
    assert code == 0
    unknown = "不明" if lang == "ja" else "unknown"
    assert printed.split("\n", 1)[1].startswith(
        'title: "Request sent"\nplatform: crowdworks\nas_of: 2026-11-20\nparams:\n  auto_termination_days: 14\n'
        f"facts:\n  contract_type: fixed\n  work_started:  # {unknown}\n  request_sent_on: 2026-11-10\n"
        f"  request_sent_by:  # {unknown}\n  client_response: none\n")
    written = tmp_path / "written.yaml"
    written.write_text(printed, encoding="utf-8")
    again = CliRunner().invoke(main, ["--lang", lang, str(written)])
    given = CliRunner().invoke(main, ["--lang", lang, str(answers)])
    assert again.exit_code == given.exit_code == 0 and again.stdout == given.stdout  # the scenario's own advice
    assert given.stdout.startswith("Request sent\n") and given.stdout in out
    day, other = ("2026年11月24日", "2026年11月17日") if lang == "ja" else ("2026-11-24", "2026-11-17")
    assert day in out and other not in out  # the automatic end after 14 days, not also after 7


def test_as_of_on_the_command_line_replaces_the_scenarios(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(WHOLE, encoding="utf-8")
    code, out, printed = ask_without_date("--answers", str(answers), "--as-of", "2026-11-30")
    assert code == 0 and "\nas_of: 2026-11-30\nparams:\n" in printed and "· as of 2026-11-30\n" in out


@pytest.mark.parametrize("lang, change, expected", [
    ("en", ("platform: crowdworks", "platform: coconala"),
     f'answers.yaml:2:11: unknown platform "coconala"; rule packs: {BUNDLED_PLATFORMS}\n'),
    ("ja", ("platform: crowdworks", "platform: coconala"),
     f'answers.yaml:2:11: プラットフォーム「coconala」は不明です。ルールパック：{BUNDLED_PLATFORMS}\n'),
    ("en", ("auto_termination_days", "auto_termination_dayz"),
     'answers.yaml:5:3: unknown parameter "auto_termination_dayz" (did you mean "auto_termination_days"?); parameters: '),
    ("en", ("as_of: 2026-11-20", "as_of: 2026-11-05"),
     "answers.yaml:8:20: request_sent_on (2026-11-10) is after as_of (2026-11-05)"),
])
def test_a_whole_scenario_s_mistake_is_reported_at_its_key(tmp_path, monkeypatch, lang, change, expected):
    monkeypatch.chdir(tmp_path)
    Path("answers.yaml").write_text(WHOLE.replace(*change), encoding="utf-8")
    code, out, printed = ask_without_date("--answers", "answers.yaml", lang=lang, input=lines("1"))
    assert (code, printed) == (2, "") and out.startswith(expected) and out.count("\n") == 1


# ------------------------------------------------------------------------- dates the calendar cannot hold

LATE = ["1", "1", "9999-12-30"]  # fixed price, work started, a request sent the day before the last


@pytest.mark.parametrize("lang, expected", [
    ("en", "auto_termination_on, worked out from 9999-12-30, would be after 9999-12-31, the last day advise can count "
           "to; no advice can be given for a date this late."),
    ("ja", "9999-12-30 から計算する auto_termination_on が、advise が数えられる最後の日 9999-12-31 より後になります。"
           "これほど遅い日付ではアドバイスできません。"),
])
def test_at_a_terminal_a_date_too_late_to_work_out_from_is_asked_again(lang, expected):
    """It was taken, and the interview failed after the last question, at <advise ask>:7:20."""
    shown: list[str] = []

    def typed():
        for answer in [*LATE, "9999-12-01"]:
            shown.append(f"> {answer}")
            yield answer

    result = interview(None, lang, typed(), shown.append, dt.date(9999, 12, 31), "crowdworks")
    assert f"\n> 9999-12-30\n{expected}\n> 9999-12-01\n" in "\n".join(shown)
    assert "  request_sent_on: 9999-12-01\n" in result.scenario


@pytest.mark.parametrize("lang, expected", [
    ("en", '<stdin>:3:1: "9999-12-30" does not answer Q3 (request_sent_on): auto_termination_on, worked out from '
           "9999-12-30, would be after 9999-12-31, the last day advise can count to; no advice can be given for a "
           "date this late.\n"),
    ("ja", "<stdin>:3:1: 「9999-12-30」はQ3（request_sent_on）への回答になっていません：9999-12-30 から計算する "
           "auto_termination_on が、advise が数えられる最後の日 9999-12-31 より後になります。"
           "これほど遅い日付ではアドバイスできません。\n"),
])
def test_from_a_script_a_date_too_late_to_work_out_from_stops_at_its_line(lang, expected):
    code, out, printed = ask("--as-of", "9999-12-31", input=lines(*LATE, "9999-12-01"), lang=lang)
    assert (code, printed) == (2, "") and out.endswith("> 9999-12-30\n" + expected)
    assert "Q4" not in out and "Q4." not in out


@pytest.mark.parametrize("lang, expected", [
    ("en", "answers.yaml:1:18: request_sent_on: auto_termination_on, worked out from 9999-12-30, would be after "
           "9999-12-31, the last day advise can count to; no advice can be given for a date this late\n"),
    ("ja", "answers.yaml:1:18: request_sent_on: 9999-12-30 から計算する auto_termination_on が、advise が数えられる"
           "最後の日 9999-12-31 より後になります。これほど遅い日付ではアドバイスできません\n"),
])
def test_an_answers_file_with_a_date_too_late_to_work_out_from_is_refused_at_its_line(tmp_path, monkeypatch, lang,
                                                                                       expected):
    monkeypatch.chdir(tmp_path)
    Path("answers.yaml").write_text("request_sent_on: 9999-12-30\n", encoding="utf-8")
    assert ask("--answers", "answers.yaml", "--as-of", "9999-12-31", lang=lang) == (2, expected, "")


def _business_days_pack(folder: Path) -> Path:
    """A pack asking for a date `sent` and a whole number `days`, deriving `due` that many business days on."""
    pack = make_pack(folder / "testpack", [rule("late", "{due: {lt: 2030-01-01}}")])
    with open(pack / "facts.yaml", "a", encoding="utf-8") as facts:
        facts.write("  sent: {type: date, description: {ja: 送信日, en: Sent}}\n"
                    "  days: {type: int, description: {ja: 日数, en: Days}}\n"
                    "  due: {type: date, derive: {add_business_days: [sent, days]}, description: {ja: 期限, en: Due}}\n")
    return pack


@pytest.mark.parametrize("lang, expected", [
    ("en", '<stdin>:2:1: "20000" does not answer Q2 (days): due would count 20000 business days, more than the 10,000 '
           "(about 40 years) advise can count; no advice can be given for a date this far.\n"),
    ("ja", '<stdin>:2:1: 「20000」はQ2（days）への回答になっていません：due は 20000 営業日を数えますが、advise が'
           "数えられるのは 10,000 営業日（約 40 年）までです。これほど先の日付ではアドバイスできません。\n"),
])
def test_a_count_of_business_days_past_the_limit_stops_at_its_line(tmp_path, lang, expected):
    """Named as what it is: the date it counts from is no mistake (it was refused as a date after 9999-12-31)."""
    code, out, printed = ask("--rules", str(_business_days_pack(tmp_path)), input=lines("2026-10-01", "20000"),
                             lang=lang)
    assert (code, printed) == (2, "") and out.endswith("> 20000\n" + expected)


def test_an_answers_file_with_a_count_of_business_days_past_the_limit_is_refused_at_it(tmp_path, monkeypatch):
    pack = _business_days_pack(tmp_path)
    monkeypatch.chdir(tmp_path)
    Path("answers.yaml").write_text("sent: 2026-10-01\ndays: -20000\n", encoding="utf-8")
    assert ask("--rules", str(pack), "--answers", "answers.yaml") == (
        2, "answers.yaml:2:7: days: due would count -20000 business days, more than the 10,000 (about 40 years) "
           "advise can count; no advice can be given for a date this far\n", "")


def _squaring_pack(folder: Path) -> Path:
    """A pack asking for an amount `fee`, deriving `squared` = fee × fee ÷ 1 (pro_rata) and testing it."""
    pack = make_pack(folder / "testpack", [rule("big", "{squared: {gt: 100}}")])
    with open(pack / "parameters.yaml", "a", encoding="utf-8") as parameters:
        parameters.write("  one: {value: 1, description: {ja: 一, en: One}, source: s}\n")
    with open(pack / "facts.yaml", "a", encoding="utf-8") as facts:
        facts.write("  fee: {type: money, description: {ja: 報酬, en: Fee}}\n"
                    "  squared: {type: money, derive: {pro_rata: [fee, fee, one]}, description: {ja: 二乗, en: Squared}}\n")
    return pack


@pytest.mark.parametrize("lang, expected", [
    ("en", '<stdin>:1:1: "2000000" does not answer Q1 (fee): squared, worked out with this answer, would be more than '
           "1,000,000,000,000, the largest number advise can hold; no advice can be given for a number this large.\n"),
    ("ja", '<stdin>:1:1: 「2000000」はQ1（fee）への回答になっていません：この回答から計算する squared が、advise が扱える'
           "最大の数 1,000,000,000,000 を超えます。これほど大きな数ではアドバイスできません。\n"),
])
def test_an_answer_from_which_a_number_past_the_range_is_worked_out_stops_at_its_line(tmp_path, lang, expected):
    """Asked when answered, not refused after the last question with every answer lost."""
    code, out, printed = ask("--rules", str(_squaring_pack(tmp_path)), input=lines("2000000"), lang=lang)
    assert (code, printed) == (2, "") and out.endswith("> 2000000\n" + expected)
