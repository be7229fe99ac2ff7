"""Stage 2, validate the rules of a rule pack: each rule's condition (`when:`, tests on declared facts and
parameters), its texts and their placeholders, the sources it cites, the facts it sets, its deadline, the sides
it takes of parameters with several values, and what it suppresses.

validate.py reads the pack's files and declarations (facts, parameters, events, drafts) and calls `rules` with
them; drafts' texts and parameters' sources are checked with `texts` and `cited` from here. Values are checked
against their facts' types with validate_values.py.
"""
from __future__ import annotations

from typing import Any, Callable, Union

from .compile import MAX_PROPERTIES, OWN_PROPERTIES
from .conditions import facts_read, placeholders, tests
from .diagnostics import Diagnostic, Message, did_you_mean, msg, show
from .load import KEY, Document
from .model import (
    LANGS,
    ORDERED_TYPES,
    SIDES,
    Condition,
    Fact,
    Group,
    Parameter,
    Rule,
    Source,
    Test,
    Text,
    Where,
    disputed_inputs,
)
from .validate_values import Checker, value_problem


def rules(docs: tuple[Document, ...], found: list[Diagnostic], broken: set[str], facts: dict[str, Fact],
          parameters: dict[str, Parameter], actions: dict[str, Text],
          sources: dict[str, Source]) -> tuple[list[Rule], dict[str, Where]]:
    """Every valid rule of the rule files, in order, its suppressions resolved; and where each rule id stands."""
    rules: list[Rule] = []
    spans: list[tuple[Checker, int, list]] = []  # each rule's checker, index and `suppresses` names
    seen: dict[str, Where] = {}
    names = placeholder_names(facts, parameters)  # once per pack: it is as long as the facts
    disputed = _disputed(facts, parameters)  # once per pack too
    for doc in docs:
        check = Checker(doc, found, broken)
        for index, entry in enumerate(doc.data["rules"]):
            rule = _rule(check, index, entry, facts, parameters, actions, sources, names, len(rules), disputed)
            if rule is None:
                broken.add(entry["id"])  # what names it (suppresses:, a draft) is not reported again
                continue
            if rule.id in seen:
                first = seen[rule.id]
                check.error("R101", msg("v_duplicate_rule", id=rule.id, path=first.path, line=first.line),
                            "rules", index, "id")
                continue
            seen[rule.id] = rule.where
            rules.append(rule)
            spans.append((check, index, entry.get("suppresses", [])))
    by_id = {rule.id: rule for rule in rules}
    by_action: dict[str, list[str]] = {}
    for rule in rules:
        by_action.setdefault(rule.action, []).append(rule.id)
    too_many = _too_many_suppressed(_suppressed(rules, spans, by_id, by_action), len(facts))
    found += too_many
    hint = _hints(sorted([*by_id, *actions]))
    return [_resolve_suppressions(rule, *span, by_id, by_action, actions, not too_many, hint)
            for rule, span in zip(rules, spans)], seen


HINTED = 64  # unknown names in suppresses: given a "did you mean" in a pack; those after it get none


def _hints(choices: list[str]) -> Callable[[object], Message | str]:
    """did_you_mean against `choices` (every rule id and action, sorted once per pack) for the first HINTED
    names asked about, then '': each hint compares the name with every choice, so thousands of rules naming
    unknown rules among thousands made loading quadratic (4,000 took 23 s)."""
    left = [HINTED]

    def hint(name: object) -> Message | str:
        if not left[0]:
            return ""
        left[0] -= 1
        return did_you_mean(name, choices)
    return hint


def _rule(check: Checker, index: int, entry: dict, facts: dict[str, Fact], parameters: dict[str, Parameter],
          actions: dict[str, Text], sources: dict[str, Source], names: set[str], order: int,
          disputed: dict[str, list[str]]) -> Rule | None:
    where = ("rules", index)
    before = check.state()
    action = entry["action"]
    if action not in actions:
        check.unknown("R103", action, msg("v_rule_unknown_action", name=show(action), hint=did_you_mean(action, actions)),
                      *where, "action")
    when = _condition(check, where + ("when",), entry["when"], facts, parameters)
    wording = texts(check, where, entry, ("message", "because"), names)
    cites = cited(check, where + ("source",), entry["source"], sources)
    sets = []
    for name, value in entry.get("sets", {}).items():
        fact = facts.get(name)
        if fact is None or not fact.set_by_rules:
            settable = [f.name for f in facts.values() if f.set_by_rules]
            check.unknown("R102", name, msg("v_rule_sets_unknown", name=show(name), hint=did_you_mean(name, settable)),
                          *where, "sets", name, KEY)
        elif problem := value_problem(fact, value):
            check.error("R106", msg("v_sets_problem", name=name, problem=problem), *where, "sets", name)
        else:
            sets.append((name, value))
    valid_from, valid_until = entry.get("valid_from"), entry.get("valid_until")
    if valid_from and valid_until and valid_from > valid_until:
        check.error("R108", msg("v_valid_range", end=valid_until, start=valid_from), *where, "valid_until")
    deadline = _deadline(check, where, entry.get("deadline"), facts)
    sides = _sides(check, where, entry.get("side", {}), when, deadline, facts, parameters, disputed)
    if check.state() != before or when is None:
        return None
    line, column = check.doc.mark(*where)
    return Rule(entry["id"], action, entry["priority"], when, wording["message"], wording["because"], cites,
                Where(check.doc.path, line, column), order, (), tuple(sets), valid_from, valid_until, deadline, sides)


def _sides(check: Checker, where: tuple, sides: dict, when: Condition | None, deadline: str | None,
           facts: dict[str, Fact], parameters: dict[str, Parameter],
           disputed: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    """`side:` says, for each parameter with several values that the rule's condition or deadline depends on,
    which value the rule takes; it is required for those and only for those. `disputed`: _disputed of the pack."""
    used = [name for test in (tests(when) if when else []) for name in (test.fact, test.param) if name]
    depends = _disputed_through(used + ([deadline] if deadline in facts else []), disputed)
    for name in sides:
        _check_side(check, where + ("side", name, KEY), name, parameters, None if when is None else depends)
    for param, name in depends.items():
        if param not in sides:
            message = msg("v_side_missing", param=param) if name == param else msg("v_side_missing_through", name=name,
                                                                                       param=param)
            check.error("R110", message, *where, "when" if name in used else "deadline")
    return tuple(sorted((name, side) for name, side in sides.items() if name in parameters and side in SIDES))


def _check_side(check: Checker, at: tuple, name: Any, parameters: dict[str, Parameter],
                depends: dict[str, str] | None) -> None:
    """A side is taken of a parameter with several values that the rule depends on (`depends`; None: unknown)."""
    if name not in parameters:
        check.unknown("R104", name, msg("v_unknown_parameter", name=show(name), hint=did_you_mean(name, parameters)),
                      *at)
    elif not parameters[name].ranged:
        check.error("R110", msg("v_side_one_value", name=name), *at)
    elif depends is not None and name not in depends:  # a side that changes nothing would mislead the reader
        check.error("R110", msg("v_side_unused", name=name), *at)


def _disputed_through(names: list[str], disputed: dict[str, list[str]]) -> dict[str, str]:
    """Each parameter with several values that `names` depend on -> the first of `names` that depends on it;
    `disputed`: the sorted disputed inputs of each fact and parameter (_disputed)."""
    depends: dict[str, str] = {}
    for name in names:
        for param in disputed.get(name, ()):
            depends.setdefault(param, name)
    return depends


def _disputed(facts: dict[str, Fact], parameters: dict[str, Parameter]) -> dict[str, list[str]]:
    """model.disputed_inputs of each fact and parameter, sorted, worked out once per pack rather than for each
    name each rule reads (a derived fact's is a walk down its inputs)."""
    return {name: sorted(disputed_inputs(name, facts, parameters)) for name in [*facts, *parameters]}


def placeholder_names(facts: dict[str, Fact], parameters: dict[str, Parameter]) -> set[str]:
    """What a text may show: facts, parameters and as_of; for a value with several (it depends on a parameter
    with several values), also one of them: {auto_termination_on.lowest}, {auto_termination_on.highest}."""
    names = {*facts, *parameters, "as_of"}
    names |= {f"{name}.{side}" for name in [*facts, *parameters] if disputed_inputs(name, facts, parameters)
              for side in SIDES}
    return names


def texts(check: Checker, where: tuple, entry: dict, keys: tuple[str, ...], names: set[str]) -> dict[str, Text]:
    """The texts at `keys` of `entry` (those present), each placeholder checked against `names`."""
    texts = {key: check.text(entry[key]) for key in keys if key in entry}
    for key, text in texts.items():
        for lang in LANGS:
            for placeholder in placeholders(text.get(lang)):
                if placeholder not in names:
                    # {x.lowest} of a broken x is not reported again: x's own mistake was
                    check.unknown("R107", placeholder.partition(".")[0],
                                  msg("v_unknown_placeholder", field=key, language=lang, name=placeholder,
                                      hint=did_you_mean(placeholder, names)), *where, key, lang)
    return texts


def _deadline(check: Checker, where: tuple, name: Any, facts: dict[str, Fact]) -> str | None:
    """`deadline:` names a date fact, the day the advice is about (advise --calendar)."""
    if name is None:
        return None
    if name not in facts:
        check.unknown("R102", name, msg("v_deadline_unknown", name=show(name),
                                        hint=did_you_mean(name, [f for f in facts if facts[f].type == "date"])),
                      *where, "deadline")
    elif facts[name].type != "date":
        check.error("R106", msg("v_deadline_type", name=name, type=facts[name].type), *where, "deadline")
    return name


def _suppressed(rules: list[Rule], spans: list[tuple[Checker, int, list]], by_id: dict[str, Rule],
                by_action: dict[str, list[str]]) -> list[Rule]:
    """The rules that some rule's `suppresses:` names, by id or through their action, in pack order; worked out
    from the names (`spans`, as in `rules`) without resolving each rule's, so that an action that thousands of
    rules name is expanded once, not once per rule naming it. What _resolve_suppressions refuses (a rule naming
    itself or its own action, unknown names) is left out, as it is there."""
    ids: set[str] = set()
    named_actions: set[str] = set()
    for rule, (_, _, names) in zip(rules, spans):
        for name in names:
            if name in by_id:
                if name != rule.id:
                    ids.add(name)
            elif name != rule.action:
                named_actions.add(name)
    for action in named_actions:
        ids.update(by_action.get(action, ()))
    return [rule for rule in rules if rule.id in ids]


def _too_many_suppressed(targets: list[Rule], facts: int) -> list[Diagnostic]:
    """R111 (compile._too_many_properties) for a pack whose `facts` (a count) and suppressed rules (`targets`,
    in pack order) pass the engine's limit on properties, found before any rule's suppressions are resolved:
    resolving them makes one entry per suppressing rule and rule suppressed (10,000 rules naming an action of
    10,000 rules took 55 s and 1 GB). Reported at the suppressed rule where the count passes the limit, or at
    the first one when the facts alone pass it (compile reports a pack suppressing nothing at its fact)."""
    room = MAX_PROPERTIES - len(OWN_PROPERTIES)
    if not targets or facts + len(targets) <= room:
        return []
    message = msg("c_too_many_properties", facts=facts, suppressed=len(targets), own=len(OWN_PROPERTIES),
                  count=facts + len(targets) + len(OWN_PROPERTIES), limit=MAX_PROPERTIES)
    where = targets[max(room - facts, 0)].where
    return [Diagnostic(where.path, where.line, where.column, message, "R111")]


def _resolve_suppressions(rule: Rule, check: Checker, index: int, names: list, by_id: dict[str, Rule],
                          by_action: dict[str, list[str]], actions: dict[str, Text], resolve: bool,
                          hint: Callable[[object], Message | str]) -> Rule:
    """`suppresses:` names rule ids or action ids; the model keeps the rule ids, each once, in the order named.
    `by_id` and `by_action` (action id -> its rules' ids in pack order) are built once per pack: this runs once
    per rule, so anything it built from all the rules would make loading a pack quadratic. Without `resolve`
    (the pack has too many suppressed rules, R111: it is refused) actions named are checked but not expanded to
    their rules, which could make one entry per pair of rules; rule ids named are kept, for R114. `hint`:
    _hints of the pack."""
    targets: dict[str, None] = {}  # ordered and de-duplicated in constant time per name
    for position, name in enumerate(names):
        if name in by_id:
            matched, itself = [name], name == rule.id
        elif name in actions:
            matched, itself = by_action.get(name, []), name == rule.action
        else:
            check.unknown("R108", name, msg("v_suppresses_unknown", name=show(name), hint=hint(name)),
                        "rules", index, "suppresses", position)
            continue
        if itself:
            check.error("R108", msg("v_suppresses_itself", name=name), "rules", index, "suppresses", position)
        elif resolve or name in by_id:
            targets.update(dict.fromkeys(matched))
    return Rule(**{**rule.__dict__, "suppresses": tuple(targets)})


def cited(check: Checker, where: tuple, raw: Any, sources: dict[str, Source]) -> tuple[str, ...]:
    """The source ids `raw` names (one, or a list), each checked against the pack's sources."""
    ids = raw if isinstance(raw, list) else [raw]
    for index, source in enumerate(ids):
        if source not in sources:
            check.unknown("R105", source, msg("v_unknown_source", name=show(source), hint=did_you_mean(source, sources)),
                          *(where + ((index,) if isinstance(raw, list) else ())))
    return tuple(ids)


def _condition(check: Checker, where: tuple, node: dict, facts: dict[str, Fact],
               parameters: dict[str, Parameter]) -> Condition | None:
    """`when:`: groups (all, any, not) of tests, each on a declared fact; None if any part is wrong."""
    (key, value), = node.items()
    if key in ("all", "any"):
        items = [_condition(check, where + (key, i), item, facts, parameters) for i, item in enumerate(value)]
        valid = [item for item in items if item is not None]
        return Group(key, tuple(valid)) if len(valid) == len(items) else None
    if key == "not":
        inner = _condition(check, where + (key,), value, facts, parameters)
        return Group("not", (inner,)) if inner else None
    if key not in facts:
        check.unknown("R102", key, msg("v_unknown_fact", name=show(key),
                                       hint=did_you_mean(key, [*facts, "all", "any", "not"])), *where, key, KEY)
        return None
    return _test(check, where + (key,), facts[key], value, parameters)


def _test(check: Checker, where: tuple, fact: Fact, value: Any, parameters: dict[str, Parameter]) -> Test | None:
    """One test of a fact: `fact: value` (eq) or `fact: {operator: operand}`."""
    if isinstance(value, dict) and list(value) != ["param"]:
        (op, operand), = value.items()
        at = where + (op,)
    else:
        op, operand, at = "eq", value, where
    if op == "present":
        return Test(fact.name, op, operand, None)
    if op in ("in", "not_in"):
        return _membership(check, at, fact, op, operand)
    if op not in ("eq", "ne") and fact.type not in ORDERED_TYPES:
        check.error("R106", msg("v_compare_type", op=op, name=fact.name, type=fact.type), *at)
        return None
    return _comparison(check, at, fact, op, operand, parameters)


def _membership(check: Checker, at: tuple, fact: Fact, op: str, operand: list) -> Test | None:
    """`in:` / `not_in:` a list of values of the fact's type."""
    for index, item in enumerate(operand):
        if problem := value_problem(fact, item):
            check.error("R106", msg("v_fact_problem", name=fact.name, problem=problem), *at, index)
            return None
    return Test(fact.name, op, tuple(operand), None)


def _comparison(check: Checker, at: tuple, fact: Fact, op: str, operand: Any,
                parameters: dict[str, Parameter]) -> Test | None:
    """A comparison with a value of the fact's type, or with a parameter's value (`{param: name}`)."""
    param = None
    if isinstance(operand, dict):
        param = operand["param"]
        if param not in parameters:
            check.unknown("R104", param, msg("v_unknown_parameter", name=show(param), hint=did_you_mean(param, parameters)),
                          *at)
            return None
        operand = parameters[param].value
    if problem := value_problem(fact, operand):
        check.error("R106", msg("v_fact_problem_param", name=fact.name, problem=problem, param=param) if param
                    else msg("v_fact_problem", name=fact.name, problem=problem), *at)
        return None
    return Test(fact.name, op, operand, param)


def sets_cycles(rules: list[Rule]) -> list[Diagnostic]:
    """R112 diagnostics, at each rule whose condition tests a fact it sets (`sets:`), itself or through other
    rules that set facts from it: q → done → p → more → q. Whether such a rule fires would depend on whether it
    has fired, so its advice could come and go with the order the engine runs rules in (with a test it undoes, it
    is dropped while its consequences stay); a pack author means a chain, never a loop. One breadth-first search
    per rule that both sets and reads a fact rules set."""
    setters: dict[str, list[Rule]] = {}
    for rule in rules:
        for name, _ in rule.sets:
            setters.setdefault(name, []).append(rule)
    if not setters:
        return []
    readers = _readers(rules, setters)
    sets = {rule.id: [name for name, _ in rule.sets] for rule in rules}
    reading = {rule_id for ids in readers.values() for rule_id in ids}
    found = []
    for rule in rules:  # a rule on a loop both sets a fact and reads one
        if rule.sets and rule.id in reading and (loop := _loop(rule.id, sets, readers)):
            found.append(Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                                    msg("v_sets_cycle", loop=" → ".join(loop)), "R112"))
    return found


def _readers(rules: list[Rule], setters: dict[str, list[Rule]]) -> dict[str, list[str]]:
    """For each fact rules set, the ids of the rules whose condition tests it. A derived fact is never computed
    from a fact rules set (R108), so only tests read them."""
    readers: dict[str, list[str]] = {}
    for rule in rules:
        for name in facts_read(rule.when):
            if name in setters:
                readers.setdefault(name, []).append(rule.id)
    return readers


def _loop(start: str, sets: dict[str, list[str]], readers: dict[str, list[str]]) -> list[str] | None:
    """The shortest way from the rule `start` back to itself, as rule ids and the facts between them (breadth
    first over "a rule reads a fact this rule sets"), or None."""
    came_from: dict[str, tuple[str, str]] = {}  # rule id -> (the rule before it, the fact between them)
    frontier = [start]
    while frontier:
        following = []
        for rule_id in frontier:
            for name in sets.get(rule_id, []):
                for reader in readers.get(name, []):
                    if reader == start:
                        return _path(start, rule_id, name, came_from)
                    if reader not in came_from:
                        came_from[reader] = (rule_id, name)
                        following.append(reader)
        frontier = following
    return None


def _path(start: str, last: str, name: str, came_from: dict[str, tuple[str, str]]) -> list[str]:
    """start → fact → rule → ... → last → name → start, from the breadth-first search of _loop."""
    steps = [last, name, start]
    rule_id = last
    while rule_id != start:
        before, fact = came_from[rule_id]
        steps[:0] = [before, fact]
        rule_id = before
    return steps


SMALL_LOOPS = 64  # in a component of at most this many rules, each rule's loop is its shortest, written in full
SHOWN_STEPS = 8  # a longer loop, in a larger component, is written with its first steps, "…" and its last


def suppress_cycles(rules: list[Rule]) -> list[Diagnostic]:
    """R114 diagnostics, at each rule on a loop of `suppresses:` (its suppressions resolved to rule ids): p → q → p,
    p → q → r → p. When the rules of a loop all apply, each hides the next and none is shown, so the advice would
    be "no rule matched" although rules did (a rule suppressing itself is R108, left out of `suppresses`). Every
    loop is refused, whether or not its rules can hold together: one whose rules never do suppresses nothing, and
    whether they can depends on derived facts and parameters a scenario may change. Without loops, of rules that
    apply together, following "is suppressed by" ends at one that nothing applying suppresses, and it is shown.
    The rules on loops are found first (strongly connected components: linear); in a component of at most
    SMALL_LOOPS rules, each rule's shortest loop is found by a breadth-first search inside it, and in a larger one
    (a pack built to be slow) each rule's loop through one rule of the component is written with its first and
    last steps (_long_loops: linear), so that neither the time nor the output grows with the square of the rules."""
    edges = {rule.id: rule.suppresses for rule in rules if rule.suppresses}
    if not edges:
        return []
    component = _components(_through_lists(edges))
    members: dict[str, list[str]] = {}
    inner: dict[str, list[str]] = {}  # each rule on a loop -> the rules it suppresses in its component
    for rule_id, root in component.items():
        members.setdefault(root, []).append(rule_id)
        inner[rule_id] = [target for target in edges[rule_id] if component.get(target) == root]
    loops: dict[str, list[str]] = {}
    for root, ids in members.items():
        if len(ids) <= SMALL_LOOPS:
            loops.update({rule_id: _suppress_loop(rule_id, inner) for rule_id in ids})
        else:
            loops.update(_long_loops(root, ids, inner))
    found = []
    for rule in rules:
        if rule.id in loops:
            found.append(Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                                    msg("v_suppress_cycle", loop=" → ".join(loops[rule.id])), "R114"))
    return found


Node = Union[str, int]  # a rule id, or the number of a list of rules (_through_lists)


def _through_lists(edges: dict[str, tuple[str, ...]]) -> dict[Node, tuple[Node, ...]]:
    """The graph of `edges` (rule id -> the rules it suppresses) with each distinct list of suppressed rules as
    a node of its own, numbered: rule -> its list -> each rule in it. Rules naming one action (`suppresses: [a]`)
    share its rules as their list, so 10,000 of them make 10,000 edges and the action's rules, not one edge per
    pair. Its components, without the lists, are those of `edges`: a list is reached only from a rule that
    suppresses every rule in it."""
    numbers: dict[tuple[str, ...], int] = {}
    graph: dict[Node, tuple[Node, ...]] = {}
    for rule_id, targets in edges.items():
        number = numbers.setdefault(targets, len(numbers))
        graph[rule_id] = (number,)
        graph[number] = targets
    return graph


def _components(edges: dict[Node, tuple[Node, ...]]) -> dict[str, str]:
    """Each rule id in a strongly connected component of more than one rule of the graph `edges` -> the first
    rule reached of its component (Tarjan's algorithm, without recursion: a loop may be as long as the pack)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    component: dict[str, str] = {}
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    _pop_component(node, stack, on_stack, component)
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(edges.get(target, ()))))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return component


def _pop_component(root: Node, stack: list[Node], on_stack: set[Node], component: dict[str, str]) -> None:
    """Take the component whose root is `root` off Tarjan's stack; record its rules if it has more than one,
    each with the first of them reached (the last taken off)."""
    members = []
    while True:
        node = stack.pop()
        on_stack.discard(node)
        if isinstance(node, str):
            members.append(node)
        if node == root:
            break
    if len(members) > 1:
        component.update(dict.fromkeys(members, members[-1]))


def _suppress_loop(start: str, inner: dict[str, list[str]]) -> list[str]:
    """The shortest way from the rule `start` back to itself along `suppresses:` inside its component (`inner`;
    breadth first, each rule's suppressions in the order named): start → ... → start."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for rule_id in frontier:
            for target in inner[rule_id]:
                if target == start:
                    steps = [rule_id, start]
                    while steps[0] != start:
                        steps.insert(0, came_from[steps[0]])
                    return steps
                if target not in came_from:
                    came_from[target] = rule_id
                    following.append(target)
        frontier = following
    raise AssertionError(f"{start} is on no loop")  # a rule of a component of several rules is on a loop


def _long_loops(root: str, ids: list[str], inner: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each rule of the large component of `root`, a loop from it back to it through `root`: the shortest way
    to `root`, then the shortest way from `root` back (a closed walk; it may pass a rule twice), written in full
    when it has at most SHOWN_STEPS steps, else as its first steps (up to root), "…" and its last step."""
    preds: dict[str, list[str]] = {}
    for rule_id in ids:
        for target in inner[rule_id]:
            preds.setdefault(target, []).append(rule_id)
    before, out = _shortest_ways(root, inner)  # before[x]: the rule before x on the shortest way from root to x
    after, back = _shortest_ways(root, preds)  # after[x]: the rule after x on its shortest way to root
    first = min(inner[root], key=lambda t: back[t])  # the first named of the nearest to root
    before[root], out[root], after[root], back[root] = _last_before(first, root, after), 0, first, 1 + back[first]
    loops = {}
    for rule_id in ids:
        steps = back[rule_id] + out[rule_id]
        head = [rule_id]
        while len(head) <= min(steps, SHOWN_STEPS) and (head[-1] != root or len(head) == 1):
            head.append(after[head[-1]])
        if steps <= SHOWN_STEPS:
            tail = [rule_id]
            while tail[0] != root:
                tail.insert(0, before[tail[0]])
            loops[rule_id] = head + tail[1:] if rule_id != root else head
        else:
            loops[rule_id] = head[:SHOWN_STEPS - 3] + ["…", before[rule_id], rule_id]
    return loops


def _shortest_ways(root: str, following: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, int]]:
    """Breadth first from `root` along `following`: each rule reached -> the rule it was reached from, and the
    number of steps from root."""
    came_from: dict[str, str] = {}
    steps = {root: 0}
    frontier = [root]
    while frontier:
        reached = []
        for rule_id in frontier:
            for target in following.get(rule_id, ()):
                if target not in steps:
                    steps[target], came_from[target] = steps[rule_id] + 1, rule_id
                    reached.append(target)
        frontier = reached
    return came_from, steps


def _last_before(first: str, root: str, after: dict[str, str]) -> str:
    """The rule just before `root` on the shortest way from `first` to root."""
    rule_id = first
    while after.get(rule_id, root) != root:
        rule_id = after[rule_id]
    return rule_id
