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
from .units import pack_amount
from .validate_values import Checker, read_datetime, value_problem


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
        elif problem := value_problem(fact, value := literal(fact, value)):
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
    name each rule reads."""
    return {name: sorted(params) for name, params in disputed_inputs(facts, parameters).items()}


def placeholder_names(facts: dict[str, Fact], parameters: dict[str, Parameter]) -> set[str]:
    """What a text may show: facts, parameters and as_of; for a value with several (it depends on a parameter
    with several values), also one of them: {auto_termination_on.lowest}, {auto_termination_on.highest}."""
    names = {*facts, *parameters, "as_of"}
    names |= {f"{name}.{side}" for name, params in disputed_inputs(facts, parameters).items() if params
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
    """`deadline:` names a date fact, the day the advice is about, or a datetime fact, its time (advise --calendar:
    an all-day event, or one at that time)."""
    if name is None:
        return None
    if name not in facts:
        check.unknown("R102", name, msg("v_deadline_unknown", name=show(name), hint=did_you_mean(
            name, [f for f in facts if facts[f].type in ("date", "datetime")])), *where, "deadline")
    elif facts[name].type not in ("date", "datetime"):
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
    operand = [literal(fact, item) for item in operand]
    for index, item in enumerate(operand):
        if problem := value_problem(fact, item):
            check.error("R106", msg("v_fact_problem", name=fact.name, problem=problem), *at, index)
            return None
    return Test(fact.name, op, tuple(operand), None)


def literal(fact: Fact, value: Any) -> Any:
    """A value a rule writes for `fact` as the fact holds it: an amount in the pack's currency in its minor unit
    (12.50 in a USD pack: 1250 cents), a datetime from its text ("2026-11-30 14:00"); any other value as it is, for
    value_problem to check."""
    if fact.type == "money":
        return pack_amount(value, fact.currency)
    if fact.type == "datetime" and isinstance(value, str):
        moment, _ = read_datetime(value)
        return value if moment is None else moment
    return value


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
        if (fact.type == "money") != (parameters[param].type == "money") and fact.currency != "JPY":
            check.error("R106", msg("v_param_not_amount" if fact.type == "money" else "v_param_amount",
                                    name=fact.name, param=param), *at)  # cents against whole numbers
            return None
        operand = parameters[param].value
    else:
        operand = literal(fact, operand)
    if problem := value_problem(fact, operand):
        check.error("R106", msg("v_fact_problem_param", name=fact.name, problem=problem, param=param) if param
                    else msg("v_fact_problem", name=fact.name, problem=problem), *at)
        return None
    return Test(fact.name, op, operand, param)


def sets_cycles(rules: list[Rule]) -> list[Diagnostic]:
    """R112 diagnostics, at each rule whose condition tests a fact it sets (`sets:`), itself or through other
    rules that set facts from it: q → done → p → more → q. Whether such a rule fires would depend on whether it
    has fired, so its advice could come and go with the order the engine runs rules in (with a test it undoes, it
    is dropped while its consequences stay); a pack author means a chain, never a loop. The loops are those of
    the graph rule → each fact it sets → each rule testing that fact, found and written as R114's are (_loops),
    with the facts between the rules: each fact is one node, so a fact set by 5,000 rules and tested by 5,000
    makes 10,000 edges, not one per pair. A derived fact is never computed from a fact rules set (R108), so only
    tests read them."""
    numbers: dict[str, int] = {}  # each fact rules set -> its node in the graph
    graph: dict[Node, tuple[Node, ...]] = {}
    for rule in rules:
        if rule.sets:
            graph[rule.id] = tuple(numbers.setdefault(name, len(numbers)) for name, _ in rule.sets)
    if not numbers:
        return []
    readers: dict[Node, list[str]] = {number: [] for number in numbers.values()}
    for rule in rules:
        for name in facts_read(rule.when):
            if name in numbers:
                readers[numbers[name]].append(rule.id)
    graph.update((number, tuple(ids)) for number, ids in readers.items())
    loops = _loops(graph, {number: name for name, number in numbers.items()})
    return [Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                       msg("v_sets_cycle", loop=" → ".join(loops[rule.id])), "R112")
            for rule in rules if rule.id in loops]


SMALL_LOOPS = 64  # in a component of at most this many rules, each rule's loop is its shortest, written in full
SHOWN_STEPS = 8  # a longer loop, in a larger component, is written with its first steps, "…" and its last


def suppress_cycles(rules: list[Rule]) -> list[Diagnostic]:
    """R114 diagnostics, at each rule on a loop of `suppresses:` (its suppressions resolved to rule ids): p → q → p,
    p → q → r → p. When the rules of a loop all apply, each hides the next and none is shown, so the advice would
    be "no rule matched" although rules did (a rule suppressing itself is R108, left out of `suppresses`). Every
    loop is refused, whether or not its rules can hold together: one whose rules never do suppresses nothing, and
    whether they can depends on derived facts and parameters a scenario may change. Without loops, of rules that
    apply together, following "is suppressed by" ends at one that nothing applying suppresses, and it is shown.
    The loops are found and written by _loops, through each distinct list of suppressed rules (not written)."""
    edges = {rule.id: rule.suppresses for rule in rules if rule.suppresses}
    if not edges:
        return []
    loops = _loops(_through_lists(edges), {})
    return [Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                       msg("v_suppress_cycle", loop=" → ".join(loops[rule.id])), "R114")
            for rule in rules if rule.id in loops]


Node = Union[str, int]  # a rule id, or the number of a node between rules: a list of rules, a fact


def _loops(graph: dict[Node, tuple[Node, ...]], between: dict[int, str]) -> dict[str, list[str]]:
    """Each rule on a loop of `graph` -> its loop, as the names to write: rule ids, and the names in `between`
    of the numbered nodes between them (a numbered node not in it is not written). Every edge of `graph` goes
    from a rule to a numbered node or back, so a loop has two edges per rule. The rules on loops are found
    first (strongly connected components: linear); in a component of at most SMALL_LOOPS rules, each rule's
    shortest loop is found by a breadth-first search inside it, and in a larger one (a pack built to be slow)
    each rule's loop through one rule of the component is written with its first and last steps (_long_loops:
    linear), so that neither the time nor the output grows with the square of the rules."""
    component = _components(graph)
    members: dict[str, list[str]] = {}  # the first rule reached of each component -> its rules
    inner: dict[Node, list[Node]] = {}  # each node on a loop -> the nodes it leads to in its component
    for node, root in component.items():
        if isinstance(node, str):
            members.setdefault(root, []).append(node)
        inner[node] = [target for target in graph[node] if component.get(target) == root]
    loops: dict[str, list[str]] = {}
    for root, ids in members.items():
        if len(ids) <= SMALL_LOOPS:
            loops.update({rule_id: _names(_shortest_loop(rule_id, inner), between) for rule_id in ids})
        else:
            loops.update(_long_loops(root, ids, inner, between))
    return loops


def _names(nodes: list[Node], between: dict[int, str]) -> list[str]:
    """The names to write of a loop's `nodes`: the rule ids, and the numbered nodes named in `between`."""
    return [node if isinstance(node, str) else between[node] for node in nodes
            if isinstance(node, str) or node in between]


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


def _components(edges: dict[Node, tuple[Node, ...]]) -> dict[Node, str]:
    """Each node of a strongly connected component of more than one node of the graph `edges` (rules and the
    numbered nodes between them) -> the first rule reached of its component (Tarjan's algorithm, without
    recursion: a loop may be as long as the pack)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    component: dict[Node, str] = {}
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


def _pop_component(root: Node, stack: list[Node], on_stack: set[Node], component: dict[Node, str]) -> None:
    """Take the component whose root is `root` off Tarjan's stack; record its nodes if it has more than one
    (then it holds a loop, and so a rule), each with the first rule reached (the last taken off)."""
    members = []
    while True:
        node = stack.pop()
        on_stack.discard(node)
        members.append(node)
        if node == root:
            break
    if len(members) > 1:
        component.update(dict.fromkeys(members, [node for node in members if isinstance(node, str)][-1]))


def _shortest_loop(start: str, inner: dict[Node, list[Node]]) -> list[Node]:
    """The shortest way from the rule `start` back to itself inside its component (`inner`; breadth first, each
    node's targets in order): start → ... → start, as nodes."""
    came_from: dict[Node, Node] = {}
    frontier: list[Node] = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in inner[node]:
                if target == start:
                    steps = [node, start]
                    while steps[0] != start:
                        steps.insert(0, came_from[steps[0]])
                    return steps
                if target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"{start} is on no loop")  # a rule of a component of several nodes is on a loop


def _long_loops(root: str, ids: list[str], inner: dict[Node, list[Node]],
                between: dict[int, str]) -> dict[str, list[str]]:
    """For each rule of the large component of `root`, a loop from it back to it through `root`: the shortest way
    to `root`, then the shortest way from `root` back (a closed walk; it may pass a rule twice), written by _cut.
    Each rule's two ways are followed only as far as _cut may write them, root's own loop in full (once)."""
    preds: dict[Node, list[Node]] = {}
    for node, targets in inner.items():
        for target in targets:
            preds.setdefault(target, []).append(node)
    before, _ = _shortest_ways(root, inner)  # before[x]: the node before x on the shortest way from root to x
    after, back = _shortest_ways(root, preds)  # after[x]: the node after x on its shortest way to root
    loops = {root: _cut(_round(root, inner, after, back), [root], between)}
    for rule_id in ids:
        if rule_id != root:
            loops[rule_id] = _cut(_toward(rule_id, root, after, 2 * SHOWN_STEPS + 1),
                                  _toward(rule_id, root, before, 2 * SHOWN_STEPS + 1)[::-1], between)
    return loops


def _round(root: str, inner: dict[Node, list[Node]], after: dict[Node, Node], back: dict[Node, int]) -> list[Node]:
    """Root's own loop, root → ... → root: to the first named of the nearest rules after it (through the first
    named of the nearest nodes between), then along `after`."""
    nodes: list[Node] = [root]
    while len(nodes) == 1 or isinstance(nodes[-1], int):
        nodes.append(min(inner[nodes[-1]], key=back.__getitem__))
    if nodes[-1] == root:  # root tests a fact it sets itself
        return nodes
    return nodes[:-1] + _toward(nodes[-1], root, after, back[nodes[-1]] + 1)


def _toward(start: Node, root: str, step: dict[Node, Node], most: int) -> list[Node]:
    """The nodes from `start` along `step` until `root` (from root: round to it again), at most `most` of them."""
    nodes = [start]
    while (nodes[-1] != root or len(nodes) == 1) and len(nodes) < most:
        nodes.append(step[nodes[-1]])
    return nodes


def _cut(head: list[Node], tail: list[Node], between: dict[int, str]) -> list[str]:
    """The names to write of a loop (_names): `head` the nodes from its rule to root, `tail` those from root
    back to the rule (or only the last of them, as _toward gives them; [root] for root's own loop). A rule and
    the node after it make a step. A loop of at most SHOWN_STEPS steps is written in full (head and tail then
    both reach root, or it would be longer), a longer one as its first steps (up to root), "…" and its last."""
    walk = head + tail[1:]
    if len(walk) <= 2 * SHOWN_STEPS + 1:
        return _names(walk, between)
    last = tail[-3:] if len(tail) > 1 else head[-3:]  # root's own loop is all in head
    return _names(head[:2 * (SHOWN_STEPS - 3) - 1], between) + ["…"] + _names(last, between)


def _shortest_ways(root: str, following: dict[Node, list[Node]]) -> tuple[dict[Node, Node], dict[Node, int]]:
    """Breadth first from `root` along `following`: each node reached -> the node it was reached from, and the
    number of steps from root."""
    came_from: dict[Node, Node] = {}
    steps: dict[Node, int] = {root: 0}
    frontier: list[Node] = [root]
    while frontier:
        reached = []
        for node in frontier:
            for target in following.get(node, ()):
                if target not in steps:
                    steps[target], came_from[target] = steps[node] + 1, node
                    reached.append(target)
        frontier = reached
    return came_from, steps
