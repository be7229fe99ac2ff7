"""The core vocabulary (rules/core.yaml): what it holds, and `advise check` L209 in every pack, bundled or not
(the cases of tests/data/check/L209.yaml show each finding in English)."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from packs import make_pack
from test_checks import DATA_FILES, build, check

from advisor.cli import main
from advisor.core import core, core_findings
from advisor.load import read_file
from advisor.messages import rendered
from advisor.validate import load_pack

ROOT = Path(__file__).resolve().parents[1]


def test_the_core_is_the_crowdworks_declarations():
    """Each core fact is declared in the CrowdWorks pack with the core's keys and values, and each core event
    sets the core facts as the core says (CrowdWorks' events set facts of its own besides)."""
    facts = read_file(ROOT / "rules" / "crowdworks" / "facts.yaml").data["facts"]
    events = read_file(ROOT / "rules" / "crowdworks" / "events.yaml").data["events"]
    vocabulary = core()
    assert list(vocabulary.facts) == ["contract_type", "work_started", "request_sent_on", "request_sent_by",
                                      "client_response", "client_unresponsive", "client_threatening",
                                      "client_harassing", "payment_refused", "units_total", "units_delivered", "fee"]
    assert list(vocabulary.events) == ["work_started", "units_delivered", "termination_requested",
                                       "client_requested_termination", "client_accepted", "client_rejected",
                                       "client_threatened", "client_harassed", "payment_refused"]
    for name, declaration in vocabulary.facts.items():
        assert {key: facts[name][key] for key in declaration} == declaration, name
        assert set(facts[name]) - set(declaration) <= {"description", "question", "labels"}, name
    for name, sets in vocabulary.events.items():
        assert {fact: events[name]["sets"][fact] for fact in sets} == sets, name
    assert core_findings(load_pack(ROOT / "rules" / "crowdworks"), bundled=True) == []


def test_a_bundled_pack_must_declare_the_whole_core(tmp_path):
    """In advise's own folder of packs, a pack that declares none of the core is told of every fact and event;
    outside it, such a pack has a vocabulary of its own and is told nothing."""
    pack = load_pack(make_pack(tmp_path / "pack", ["- id: r\n  action: a\n  priority: 1\n  when: {flag: true}\n"
                                                   "  message: {ja: r, en: r}\n  because: {ja: な, en: w}\n"
                                                   "  source: s\n"]))
    assert core_findings(pack, bundled=False) == []
    found = core_findings(pack, bundled=True)
    assert len(found) == 12 + 9  # every core fact at facts.yaml, every core event at the folder: no events.yaml
    assert [(Path(d.path).name, d.line, d.column, d.code) for d in found[:2]] == [("facts.yaml", 1, 1, "L209")] * 2
    assert (Path(found[-1].path).name, found[-1].line) == ("pack", None)
    assert rendered(found[-1].message, "en").startswith("core event payment_refused is not declared")
    assert {d.message.key for d in found} == {"c_core_fact_missing", "c_core_event_missing"}


def test_the_findings_read_alike_in_japanese(tmp_path):
    case = next(case for case in DATA_FILES["L209"]["cases"] if case["findings"])
    exit_code, out, err = check(build(tmp_path / "pack", case["files"]), "--lang", "ja")
    assert (exit_code, err) == (1, "")
    assert out.splitlines() == [
        "facts.yaml:16:15: [警告] L209 コアのファクト fee が type: int と宣言されていますが、コアの語彙（rules/core.yaml）では"
        " type: money です。このままでは、シナリオがこのプラットフォームでは同じ意味になりません。{type: money, min: 1} と"
        "宣言してください（文面はこのプラットフォームの言葉で）"]


def test_the_bundled_crowdworks_pack_declares_the_core():
    result = CliRunner().invoke(main, ["check", str(ROOT / "rules" / "crowdworks")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_core_yaml_names_its_schema_and_both_validators_accept_it():
    import json

    import jsonschema

    from advisor import schema

    path = ROOT / "rules" / "core.yaml"
    assert path.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=schemas/core.schema.json"
    doc = read_file(path)
    reference = json.loads((ROOT / "rules" / "schemas" / "core.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(reference)
    assert list(jsonschema.Draft202012Validator(reference).iter_errors(doc.data)) == []
    assert schema.check(doc, "core") == []
