"""A timeline in the scenario (events:): the facts it sets, and each way it can be wrong, at its line."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.diagnostics import InputError
from advisor.load import pack_folders, read_file

ROOT = Path(__file__).parent.parent
HEAD = "as_of: 2026-11-25\n"


def run(tmp_path, text: str, *args: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, [*args, str(path)])
    return result.exit_code, result.stdout, result.stderr, path


def assumed(path: Path) -> str:
    """The line a scenario naming no platform: gets first among its errors (the cases here are about the
    CrowdWorks pack); none for a file that is no YAML mapping, whose mistake is the file's."""
    try:
        data = read_file(path).data
    except InputError:
        return ""
    packs = ", ".join(folder.name for folder in pack_folders())
    return f"{path}: no platform: given, so crowdworks was assumed; rule packs: {packs}\n" \
        if isinstance(data, dict) and "platform" not in data else ""


def facts(tmp_path, text: str) -> dict:
    code, out, err, _ = run(tmp_path, text, "--format", "json")
    assert (code, err) == (0, "")
    return {name: (fact["value"], fact["origin"]) for name, fact in json.loads(out)["facts"].items()}


def test_the_facts_come_from_the_events_in_order(tmp_path):
    got = facts(tmp_path, HEAD + """events:
  - {date: 2026-11-01, event: contract_started}
  - {date: 2026-11-03, event: units_delivered, count: 3}
  - {date: 2026-11-06, event: units_delivered, count: 2}
  - {date: 2026-11-08, event: termination_requested}
  - {date: 2026-11-09, event: client_rejected}
  - {date: 2026-11-10, event: termination_requested}
  - {date: 2026-11-12, event: client_rejected}
  - {date: 2026-11-20, event: client_message}
""")
    assert got["contract_started_on"] == ("2026-11-01", "events")
    assert got["units_delivered"] == (5, "events") and got["work_started"] == (True, "events")
    assert got["request_sent_on"] == ("2026-11-10", "events")  # the latest request
    assert got["client_response"] == ("rejected", "events") and got["rejections"] == (2, "events")
    assert got["days_since_client_message"] == (5, "derived")
    assert got["days_since_request"] == (15, "derived")


def test_a_new_request_after_a_rejection_waits_for_an_answer_again(tmp_path):
    got = facts(tmp_path, HEAD + """events:
  - {date: 2026-11-10, event: termination_requested}
  - {date: 2026-11-12, event: client_rejected}
  - {date: 2026-11-20, event: termination_requested}
""")
    assert got["client_response"] == ("none", "events") and got["rejections"] == (1, "events")
    assert got["days_until_auto_termination"] == (2, "derived")  # to the earliest end: 2026-11-20 + 7 days


def test_events_and_flat_facts_mix_when_they_agree(tmp_path):
    got = facts(tmp_path, HEAD + """facts:
  client_response: rejected
  fee: 50000
events:
  - {date: 2026-11-10, event: termination_requested}
  - {date: 2026-11-12, event: client_rejected}
""")
    assert got["client_response"] == ("rejected", "events") and got["fee"] == (50000, "given")


@pytest.mark.parametrize("body, message", [
    ("facts:\n  client_response: accepted\nevents:\n  - {date: 2026-11-10, event: termination_requested}\n"
     "  - {date: 2026-11-12, event: client_rejected}\n",
     "3:20: client_response (accepted) contradicts the events, which make it rejected (line 6)"),
    ("events:\n  - {date: 2026-11-12, event: termination_requested}\n  - {date: 2026-11-10, event: client_rejected}\n",
     "4:12: events must be oldest first: 2026-11-10 comes after 2026-11-12"),
    ("events:\n  - {date: 2026-11-26, event: termination_requested}\n",
     "3:12: termination_requested on 2026-11-26 is after as_of (2026-11-25): events cannot be in the future"),
    ("events:\n  - {date: 2026-11-12, event: client_rejected}\n",
     "3:31: client_rejected needs an earlier termination_requested event"),
    ("events:\n  - {date: 2026-11-12, event: termination_request}\n",
     '3:31: unknown event "termination_request" (did you mean "termination_requested"?); events: contract_started, '
     "work_started, units_delivered, termination_requested, client_requested_termination, worker_accepted_request, "
     "worker_rejected_request, client_accepted, client_rejected, client_threatened, client_message, "
     "contact_prompt_requested, payment_refused, extra_work_demanded, escrow_funded, delivery_rejected, "
     "client_harassed, damages_demanded, terms_changed_by_client"),
    ("events:\n  - {date: 2026-11-12, event: units_delivered}\n", "3:5: units_delivered needs count:"),
    ("events:\n  - {date: 2026-11-12, event: client_message, count: 2}\n", "3:5: client_message takes no count:"),
    ("events:\n  - {on: 2026-11-12, event: client_message}\n",
     '3:6: YAML reads the key on as a value, not as a name: write it in quotes ("on") if it is a name\n'),
    ("events:\n  - {date: 2026-02-30, event: client_message}\n",
     '3:12: date: impossible date "2026-02-30": 2026-02 has no day 30 (it has 28 days)'),
])
def test_a_wrong_timeline_is_refused_at_its_line(tmp_path, body, message):
    code, out, err, path = run(tmp_path, HEAD + body)
    assert (code, out) == (2, "")
    assert err.startswith(f"{assumed(path)}{path}:{message}"), err


def test_a_bare_on_key_is_explained(tmp_path):
    code, _, err, path = run(tmp_path, HEAD + "events:\n  - {on: 2026-11-12, event: client_message}\n")
    assert (code, err) == (2, f'{path}:3:6: YAML reads the key on as a value, not as a name: write it in quotes ("on") '
                              "if it is a name\n")
    quoted = run(tmp_path, HEAD + 'events:\n  - {"on": 2026-11-12, event: client_message}\n')
    assert quoted[0] == 2 and f'{path}:3:6: unknown key "on"' in quoted[2] and "allowed: date, event" in quoted[2]


def test_delivering_more_than_the_contract_holds_is_refused_at_the_event(tmp_path):
    code, _, err, path = run(tmp_path, HEAD + "facts: {units_total: 4}\nevents:\n"
                                             "  - {date: 2026-11-12, event: units_delivered, count: 3}\n"
                                             "  - {date: 2026-11-13, event: units_delivered, count: 2}\n")
    assert (code, err) == (2, f"{assumed(path)}{path}:5:5: units_delivered (5) is more than units_total (4)\n")


def test_an_event_declaration_must_set_facts_a_scenario_gives(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    text = (pack / "events.yaml").read_text(encoding="utf-8")
    (pack / "events.yaml").write_text(text.replace("sets: {client_threatening: true,", "sets: {client_threatning: 1,"),
                                      encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(pack)])
    assert result.exit_code == 1
    assert 'R102 sets: "client_threatning" is not a fact a scenario gives (did you mean "client_threatening"?)' \
        in result.stdout


def test_an_empty_events_list_states_no_events(tmp_path):
    got = facts(tmp_path, HEAD + "events:\n")
    assert got["client_response"] == ("none", "default")


def test_a_count_beyond_any_real_number_is_refused_at_the_event(tmp_path):
    code, _, err, path = run(tmp_path, HEAD + "events:\n  - {date: 2026-11-10, event: units_delivered, "
                                              "count: 99999999999999999999}\n")
    assert (code, err) == (2, f"{assumed(path)}{path}:3:5: units_delivered: 99999999999999999999 is out of range "
                              "(at most 1000000000000)\n")
