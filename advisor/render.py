"""Stage 7, render: advice -> the text a person reads, JSON for programs (docs/json.md), or Markdown for notes;
also the reports of `advise check` (findings) and `advise test` (scenario results), as text or JSON.

Every sentence comes from the pack (in the chosen language) or from the catalogs in locale/, so the
output is in one language only. Output is built whole before anything is printed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .conditions import Line
from .derive import OPERATIONS
from .diagnostics import Diagnostic, place, shown_path
from .explain import Advice, Recommendation, format_fact, format_parameter, format_range, format_value
from .messages import rendered, say
from .model import ABSENT, Draft

if TYPE_CHECKING:  # annotations only: `advise SCENARIO` without --explain never imports why.py
    from .expect import ScenarioRun
    from .why import NearMiss, Step, Trace, Why

SCHEMA_VERSION = 2  # 2: parameters with several values, ranges of facts, the side a rule takes
TEST_SCHEMA_VERSION = 1  # advise test --format json
FORMATS = ("text", "json", "markdown")


def render(advice: Advice, fmt: str, lang: str, reasons: Why | None = None, drafts: bool = False) -> str:
    """The advice as text, JSON or Markdown; with `reasons` (from why.why), the explanation too (`--explain`);
    with `drafts`, the words to send for each recommendation whose action has a draft (`--drafts`)."""
    if fmt == "json":
        return render_json(advice, lang, reasons, drafts)
    if fmt == "markdown":
        return render_markdown(advice, lang, reasons, drafts)
    return render_text(advice, lang, reasons, drafts)


def render_text(advice: Advice, lang: str, reasons: Why | None = None, drafts: bool = False) -> str:
    scenario = advice.scenario
    lines = [scenario.title or say(lang, "untitled"),
             say(lang, "heading", platform=advice.pack.name.get(lang),
                 as_of=format_value(scenario.as_of, "date", lang)),
             *_assumed(advice, lang),
             ""]
    if not advice.recommendations:
        lines += [say(lang, "no_advice"), ""]
    for rank, item in enumerate(advice.recommendations, 1):
        lines += _item_text(rank, item, advice, lang, reasons, drafts)
        lines.append("")
    if reasons:
        lines += _reasons_text(reasons, advice, lang)
    return "\n".join(lines)


def _assumed(advice: Advice, lang: str) -> list[str]:
    """The line saying which platform was assumed, for a scenario without platform: (none when it has one)."""
    if advice.scenario.platform_given:
        return []
    return [say(lang, "platform_assumed", platform=advice.pack.name.get(lang), id=advice.pack.id)]


def _item_text(rank: int, item: Recommendation, advice: Advice, lang: str, reasons: Why | None,
               drafts: bool) -> list[str]:
    """One recommendation: its title, message, reason, notes and sources; its explanation and draft if asked."""
    lines = [f"{rank}. {item.title.get(lang)}",
             f"   {item.message.get(lang)}",
             "   " + say(lang, "why", text=item.because.get(lang))]
    lines += ["   " + say(lang, "note", text=note.get(lang)) for note in item.notes]
    cited = [s.title.get(lang) + (f" <{s.url}>" if s.url else "") for s in item.sources]
    lines.append("   " + say(lang, "source", text=say(lang, "source_separator").join(cited)))
    if reasons:
        lines += ["   " + line for line in trace_lines(reasons.traces[rank - 1], advice, lang)]
    if drafts and item.draft:
        lines += ["   " + say(lang, "draft_begin", title=say(lang, "draft_title"))]
        lines += [f"     {line}" if line else "" for line in draft_lines(item.draft, lang)]
        lines += ["   " + say(lang, "draft_end")]
    return lines


def _reasons_text(reasons: Why, advice: Advice, lang: str) -> list[str]:
    """After the recommendations (--explain): the near misses, then the missing facts that could change the advice."""
    lines = []
    if reasons.near_misses:
        lines.append(say(lang, "near_heading"))
        lines += [f"  - {near_text(near, advice, lang)}" for near in reasons.near_misses]
        lines.append("")
    if reasons.unknown:
        lines.append(say(lang, "unknown_heading"))
        lines += [f"  - {say(lang, 'unknown_item', fact=u.fact, actions=_actions(u.unlocks, advice, lang))}"
                  for u in reasons.unknown]
        lines.append("")
    if not reasons.complete:
        lines += [say(lang, "search_stopped", rules=len(advice.pack.rules)), ""]
    return lines


def draft_lines(draft: Draft, lang: str) -> list[str]:
    """A filled draft as lines: the subject (if any) and a blank line, then the body."""
    head = [say(lang, "draft_subject", text=draft.subject.get(lang)), ""] if draft.subject else []
    return head + draft.body.get(lang).splitlines()


def trace_lines(trace: Trace, advice: Advice, lang: str) -> list[str]:
    """Why one recommendation was given: its rule, each test with the fact's value, computations, parameters."""
    lines = [say(lang, "explain_rule", where=_where(trace.rule), rule=trace.rule.id), say(lang, "explain_conditions")]
    params = advice.view(trace.rule).params
    for line in trace.lines:
        mark = "✓" if line.held else "✗"
        text = say(lang, f"explain_{line.kind}") if line.test is None else test_text(line, advice, lang, params)
        lines.append("  " * (line.depth + 1) + f"{mark} {text}")
    lines += [say(lang, "explain_computed", text=step_text(step, advice, lang)) for step in trace.steps]
    if trace.parameters:
        lines.append(say(lang, "explain_parameters", text=", ".join(
            f"{name} = {_value(value, name, advice, lang)}" for name, value in trace.parameters)))
    lines += [say(lang, "explain_set_by", fact=fact, rule=rule) for fact, rule in trace.set_by]
    return lines + side_lines(trace, advice, lang)


def side_lines(trace: Trace, advice: Advice, lang: str) -> list[str]:
    """For a rule that depends on a disputed parameter: every value with its source label, the one the rule
    takes, and every value of the facts it used that depend on it."""
    lines = []
    params = advice.view(trace.rule).params
    for name, side in trace.rule.sides:
        value = _value(params[name], name, advice, lang)
        if name in dict(advice.scenario.params):
            lines.append(say(lang, "explain_side_pinned", param=name, value=value))
            continue
        variants = advice.pack.parameters[name].variants
        values = format_range(tuple((v.value, v.label) for v in variants), advice.pack.parameters[name].type, lang,
                              advice.pack.currency)
        lines.append(say(lang, "explain_side", param=name, values=values, side=say(lang, f"side_{side}"), value=value))
    used = dict.fromkeys([line.test.fact for line in trace.lines if line.test] + [step.fact for step in trace.steps]
                         + ([trace.rule.deadline] if trace.rule.deadline else []))
    lines += [say(lang, "explain_range", fact=name,
                  values=format_range(advice.ranges[name], advice.pack.facts[name].type, lang, advice.pack.currency))
              for name in used if name in advice.ranges]
    return lines


def test_text(line: Line, advice: Advice, lang: str, params: dict) -> str:
    """One test with the fact's value; `params`: the parameter values of the rule's side."""
    test = line.test
    assert test is not None  # called for the lines of tests, never for those of groups
    current = say(lang, "explain_absent") if line.value is ABSENT else _value(line.value, test.fact, advice, lang)
    if (moment := dict(advice.scenario.days_from).get(test.fact)) and line.value is not ABSENT:
        current = say(lang, "explain_day_of", value=current, fact=moment)  # not written: the day of a time given
    if test.op == "present":
        text = say(lang, "explain_is_given" if test.value else "explain_not_given", fact=test.fact)
        return text if line.value is ABSENT else text + say(lang, "explain_current", value=current)
    operand = params[test.param] if test.param else test.value
    if isinstance(operand, tuple):  # in, not_in
        values = ", ".join(_value(v, test.fact, advice, lang) for v in operand)
        text = say(lang, "explain_one_of" if test.op == "in" else "explain_none_of", fact=test.fact, values=values)
    else:
        text = say(lang, "explain_compare", fact=test.fact, op=_SYMBOLS[test.op],
                   value=_value(operand, test.fact, advice, lang))
    if test.param:
        text += say(lang, "explain_param", name=test.param)
    return text + say(lang, "explain_current", value=current)


def step_text(step: Step, advice: Advice, lang: str) -> str:
    """days_since_request = 2026-11-25 − 2026-11-11 = 14"""
    operation = OPERATIONS[step.op]
    taken = dict(advice.scenario.days_from)  # a date not written: the day of a time given (day_of:)
    args = [say(lang, "explain_day_of_arg", value=_value(value, name, advice, lang), fact=taken[name])
            if name in taken else _value(value, name, advice, lang) for name, value in step.args]
    if step.op == "add_hours":  # the count with its unit, whether a parameter says unit: hours or not
        args[1] = say(lang, "value_hours", hours=f"{step.args[1][1]:,}")
    if operation.takes_as_of:
        args.append(format_value(advice.scenario.as_of, "date", lang))
    text = f"{step.fact} = {operation.explained(args, lang)} = {_value(step.value, step.fact, advice, lang)}"
    if operation.takes_calendar and advice.pack.calendar == "US":  # Japan's, the default (HOLIDAY_CALENDAR), goes unsaid
        text += say(lang, "explain_calendar_us")
    return text + (say(lang, "explain_rounded_down") if operation.rounded_down else "")


def near_text(near: NearMiss, advice: Advice, lang: str) -> str:
    absent = say(lang, "explain_absent")
    changes = say(lang, "near_join").join(
        say(lang, "near_change", fact=fact, value=absent if value is ABSENT else _value(value, fact, advice, lang),
            current=absent if current is ABSENT else _value(current, fact, advice, lang))
        for fact, value, current in near.changes)
    return say(lang, "near_item", changes=changes, action=advice.pack.actions[near.rule.action].get(lang),
               rule=near.rule.id)


def _actions(rules, advice: Advice, lang: str) -> str:
    return say(lang, "source_separator").join(
        say(lang, "explain_action", action=advice.pack.actions[r.action].get(lang), rule=r.id) for r in rules)


def _value(value, name: str, advice: Advice, lang: str) -> str:
    """A value of a fact or parameter (or as_of) in an explanation; an enum value by its label (explain.format_fact)."""
    pack = advice.pack
    if name in pack.facts:
        return format_fact(pack.facts[name], value, lang, beside=True)
    if name in pack.parameters:
        return format_parameter(pack.parameters[name], value, lang)
    return format_value(value, "date", lang)


def _where(rule) -> str:
    """The rule's file and line, from its pack's folder: crowdworks/rules.yaml:12."""
    path = Path(rule.where.path)
    return f"{path.parent.name}/{path.name}:{rule.where.line}"


_SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


def render_json(advice: Advice, lang: str, reasons: Why | None = None, drafts: bool = False) -> str:
    return _json(json_document(advice, lang, reasons, drafts))


def json_document(advice: Advice, lang: str, reasons: Why | None = None, drafts: bool = False) -> dict:
    """The document `advise --format json` prints (docs/json.md), as data: advise batch writes it on one line."""
    scenario = advice.scenario
    recommendations = [_item_json(rank, item, lang) for rank, item in enumerate(advice.recommendations, 1)]
    if drafts:
        for entry, item in zip(recommendations, advice.recommendations):
            entry["draft"] = _draft_json(item.draft, lang)
    if reasons:
        for entry, trace in zip(recommendations, reasons.traces):
            entry["explanation"] = _trace_json(trace, advice, lang)
    document = {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "scenario": {"path": shown_path(scenario.path), "title": scenario.title, "platform": scenario.platform,
                     "as_of": scenario.as_of.isoformat()}
        # What money values count (docs/json.md): absent for yen, so that a yen pack's document is as before
        | ({"currency": advice.pack.currency} if advice.pack.currency != "JPY" else {})
        # Whether the platform was taken by default (docs/json.md): absent when the scenario names it
        | ({"platform_assumed": True} if not scenario.platform_given else {}),
        "recommendations": recommendations,
        "facts": {name: {"value": _plain(value), "origin": _origin(advice, name)} | _range(advice, name, lang)
                  for name, value in advice.facts.items()},
        "parameters": {name: _parameter(advice, name, lang) for name in advice.params},
    }
    if reasons:
        document |= _reasons_json(reasons, advice, lang)
    return document


def _item_json(rank: int, item: Recommendation, lang: str) -> dict:
    return {"rank": rank, "action": item.rule.action, "title": item.title.get(lang), "rule": item.rule.id,
            "priority": item.rule.priority, "message": item.message.get(lang), "because": item.because.get(lang),
            "notes": [note.get(lang) for note in item.notes], "side": dict(item.rule.sides),
            "source": [{"id": s.id, "title": s.title.get(lang), "url": s.url} for s in item.sources]}


def _draft_json(draft: Draft | None, lang: str) -> dict | None:
    if draft is None:
        return None
    return {"subject": draft.subject.get(lang) if draft.subject else None, "body": draft.body.get(lang)}


def _trace_json(trace: Trace, advice: Advice, lang: str) -> dict:
    """Why one recommendation was given (--explain): as trace_lines, as data."""
    params = advice.view(trace.rule).params
    return {
        "defined_at": _where(trace.rule),
        "conditions": [{"depth": line.depth, "kind": line.kind, "held": line.held}
                       | ({"fact": line.test.fact, "test": test_text(line, advice, lang, params),
                           "value": _plain(line.value)} if line.test else {})
                       for line in trace.lines],
        "computed": [{"fact": step.fact, "value": _plain(step.value), "how": step_text(step, advice, lang)}
                     for step in trace.steps],
        "parameters": {name: _plain(value) for name, value in trace.parameters},
        "set_by": [{"fact": fact, "rule": rule} for fact, rule in trace.set_by],
    }


def _reasons_json(reasons: Why, advice: Advice, lang: str) -> dict:
    """The near misses and the missing facts that could change the advice (--explain)."""
    return {
        "near_misses": [
            {"rule": near.rule.id, "action": near.rule.action, "text": near_text(near, advice, lang),
             "changes": [{"fact": fact, "value": _plain(value), "current": _plain(current)}
                         for fact, value, current in near.changes]}
            for near in reasons.near_misses],
        "unknown": [{"fact": u.fact, "could_lead_to": [{"rule": r.id, "action": r.action} for r in u.unlocks]}
                    for u in reasons.unknown],
        "search_complete": reasons.complete,
    }


def _range(advice: Advice, name: str, lang: str) -> dict:
    """A fact that depends on a disputed value: every value, lowest first, with the label it comes from."""
    if name not in advice.ranges:
        return {}
    # Every value of a fact's range has a label (explain.value_ranges leaves out only a parameter's).
    return {"range": [{"value": _plain(value), "label": label.get(lang) if label else None}
                      for value, label in advice.ranges[name]]}


def _parameter(advice: Advice, name: str, lang: str):
    """A parameter's value, or, when sources disagree and the scenario does not pin it, every sourced value."""
    parameter = advice.pack.parameters[name]
    if not parameter.ranged or name in dict(advice.scenario.params):
        return _plain(advice.params[name])
    return [{"value": _plain(v.value), "label": v.label.get(lang), "source": list(v.sources)} for v in parameter.variants]


def _origin(advice: Advice, name: str) -> str:
    fact = advice.pack.facts[name]
    if fact.derive is not None:
        return "derived"
    if fact.set_by_rules:
        return "set_by_rules"
    if name in dict(advice.scenario.days_from):
        return "day_of"
    if name in advice.scenario.from_events:
        return "events"
    return "given" if name in advice.scenario.given else "default"


def _plain(value):
    """A value as JSON holds it: a date "2026-11-25", a datetime "2026-11-30T14:00" (ISO 8601 local time, to the
    minute), an amount as its whole number of the currency's minor unit, anything else as it is."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat() if isinstance(value, dt.date) else value


def render_markdown(advice: Advice, lang: str, reasons: Why | None = None, drafts: bool = False) -> str:
    """The advice as a Markdown document to keep in notes; drafts (with `drafts`) and explanations (with
    `reasons`) in fenced blocks, so that they are copied exactly."""
    scenario = advice.scenario
    blocks = [f"# {_md(scenario.title or say(lang, 'untitled'))}",
              _md(say(lang, "heading", platform=advice.pack.name.get(lang),
                      as_of=format_value(scenario.as_of, "date", lang))),
              *map(_md, _assumed(advice, lang))]
    if not advice.recommendations:
        blocks.append(_md(say(lang, "no_advice")))
    for rank, item in enumerate(advice.recommendations, 1):
        blocks += _item_markdown(rank, item, advice, lang, reasons, drafts)
    if reasons:
        blocks += _reasons_markdown(reasons, advice, lang)
    return "\n\n".join(blocks) + "\n"


def _item_markdown(rank: int, item: Recommendation, advice: Advice, lang: str, reasons: Why | None,
                   drafts: bool) -> list[str]:
    """One recommendation as Markdown blocks: as _item_text, with sources as links."""
    blocks = [f"## {rank}. {_md(item.title.get(lang))}",
              _md(item.message.get(lang)),
              _md(say(lang, "why", text=item.because.get(lang)))]
    blocks += [_md(say(lang, "note", text=note.get(lang))) for note in item.notes]
    cited = [f"[{_md(s.title.get(lang))}]({s.url.replace('(', '%28').replace(')', '%29')})" if s.url
             else _md(s.title.get(lang)) for s in item.sources]
    blocks.append(_md(say(lang, "source", text="\0")).replace("\0", _md(say(lang, "source_separator")).join(cited)))
    if reasons:
        blocks.append(_fenced(trace_lines(reasons.traces[rank - 1], advice, lang)))
    if drafts and item.draft:
        blocks.append(f"### {_md(say(lang, 'draft_title'))}")
        blocks.append(_fenced(draft_lines(item.draft, lang)))
    return blocks


def _reasons_markdown(reasons: Why, advice: Advice, lang: str) -> list[str]:
    """As _reasons_text, each list under a heading of its own."""
    blocks = []
    if reasons.near_misses:
        blocks.append(f"## {_md(say(lang, 'near_heading').rstrip(':：'))}")
        blocks.append("\n".join(f"- {_md(near_text(near, advice, lang))}" for near in reasons.near_misses))
    if reasons.unknown:
        blocks.append(f"## {_md(say(lang, 'unknown_heading').rstrip(':：'))}")
        blocks.append("\n".join(
            f"- {_md(say(lang, 'unknown_item', fact=u.fact, actions=_actions(u.unlocks, advice, lang)))}"
            for u in reasons.unknown))
    if not reasons.complete:
        blocks.append(_md(say(lang, "search_stopped", rules=len(advice.pack.rules))))
    return blocks


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    """Text from the pack or the catalogs as Markdown prose: its punctuation is not read as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _fenced(lines: list[str]) -> str:
    """A ```text block, with a fence longer than any run of backticks inside it."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + "text", *lines, fence])


# ------------------------------------------------------------------------------ advise check, advise test

def render_findings(findings: list[Diagnostic], fmt: str, lang: str) -> str:
    """`advise check`: one line per finding, `path:line:col: [level] CODE message`, or them all as JSON."""
    from .check import CHECKS, level  # here: the advice itself does not need the checks

    if fmt == "json":
        return _json([{"path": shown_path(f.path), "line": f.line, "column": f.column, "level": level(f), "code": f.code,
                       "name": CHECKS[f.code].name, "message": rendered(f.message, lang)} for f in findings])
    return "".join(say(lang, "check_finding", where=place(f), level=say(lang, f"level_{level(f)}"),
                       code=f.code, message=rendered(f.message, lang)) + "\n" for f in findings)


def render_test_run(run: ScenarioRun, fmt: str, lang: str) -> str:
    """`advise test`: PASS or FAIL per scenario with its unmet expectations, the rules no scenario's advice came
    from, then the counts; or all that as JSON, with the scenarios that could not be read."""
    passed = len(run.results) - run.failed
    if fmt == "json":
        return _json({
            "schema_version": TEST_SCHEMA_VERSION,
            "results": [{"path": shown_path(r.path), "title": r.title, "passed": r.passed, "problems": list(r.problems),
                         "actions": list(r.actions)} for r in run.results],
            "errors": [{"path": shown_path(d.path), "line": d.line, "column": d.column, "message": rendered(d.message, lang)} for d in run.errors],
            "uncovered": [{"rule": rule.id, "path": shown_path(rule.where.path), "line": rule.where.line,
                           "column": rule.where.column} for rule in run.uncovered],
            "passed": passed, "failed": run.failed,
        })
    lines = []
    for result in run.results:
        lines.append(say(lang, "test_pass" if result.passed else "test_fail", path=shown_path(result.path),
                         title=result.title or "").rstrip())
        lines += [f"     {problem}" for problem in result.problems]
    if run.uncovered:
        lines.append(say(lang, "uncovered"))
        lines += [f"  {shown_path(rule.where.path)}:{rule.where.line}:{rule.where.column}  {rule.id}" for rule in run.uncovered]
    lines.append(say(lang, "test_summary", passed=passed, failed=run.failed))
    return "\n".join(lines) + "\n"


def _json(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
