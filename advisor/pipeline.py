"""The whole pipeline for one scenario: load -> validate -> derive -> compile -> run -> explain.

Rendering is left to the caller. Packs and their compiled form are cached per process, so a batch of
scenarios (the test suite) reads and compiles each pack once. Every cache is bounded (least recently used
first out), so a batch of any number of scenarios, each pinning its own `params:`, runs in flat memory.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple, cast

from . import cache, engine
from .compile import Compiled, compile_pack, encode_facts
from .conditions import facts_read
from .derive import View, views
from .diagnostics import InputError, Message, about_file, clipped, did_you_mean, escaped, msg, show, shown_path
from .explain import Advice, explain
from .load import Document, bundled_rules, is_pack_file, pack_folders, read_file
from .model import PACK_FILE, Pack, Rule, Value, folded
from .validate_scenario import scenario_platform, validate_scenario


def advise_file(path: str | Path, rules: str | Path | None = None, today: dt.date | None = None,
                as_of: dt.date | None = None) -> Advice:
    """Advice for the scenario file at `path` (`-` for standard input)."""
    return advise_document(read_file(path), rules, today, as_of)


def advise_document(doc: Document, rules: str | Path | None = None, today: dt.date | None = None,
                    as_of: dt.date | None = None) -> Advice:
    """`today` is the date when the scenario gives no as_of; `as_of` replaces the scenario's own."""
    with platform_assumed(doc, rules):
        pack, compiled = pack_for(doc, rules)
        scenario = validate_scenario(doc, pack, today or dt.date.today(), as_of)
    pinned = dict(scenario.params)
    if scenario.params:
        compiled = compiled_for(pack, scenario.params)
    derived = views(pack, scenario.facts, scenario.as_of, pinned)
    try:
        fired, added, _ = chain(pack, compiled, derived, scenario.as_of)
    except SetsConflict as conflict:  # named at the scenario that brings it out
        raise SetsConflict(conflict.message, scenario.path, scenario.title, pack) from None
    # the facts rules set are the same in every view
    return explain(pack, scenario, tuple(replace(view, facts=view.facts | added) for view in derived), fired)


class Chained(NamedTuple):
    """What `chain` found: the rules that fired in the last round (the advice), the facts rules set (name ->
    value), and the engine work it took (`work`: over the rounds, the rules of every shard asserted into plus
    the times durable called back into Python there, once per alternative of a rule's condition that matched,
    each about as costly again (engine.run_counted); --explain charges its search by it)."""

    fired: list[Rule]
    facts: dict[str, Value]
    work: int


def chain(pack: Pack, compiled: Compiled, derived: tuple[View, ...], as_of: dt.date) -> Chained:
    """Forward chaining: assert the facts of the view matching each valuation of the compiled rules (`derived`,
    from derive.views with the same pinned parameters); the rules that fired add the facts they set (`sets:`)
    and mark the rules they suppress; assert again until a round changes neither.

    Facts only accumulate and a set fact never changes its value (that is an error, SetsConflict). The marks
    are those of the rules that fired in the round before, not every mark ever made: a rule that is itself
    suppressed, or that stops applying once another rule set a fact (`contract_ended: {present: false}`), hides
    nothing. A mark kept from the first round hid, for an ended contract, advice that only a rule for a running
    contract suppressed, and could leave no advice at all. With no loop of suppresses: (R114), the marks settle
    within one round per step of the longest chain of suppressions once the facts have, so this ends; a pack
    that did not would be a bug in advise (EngineError, exit 3).

    A round asserts only into the shards whose answer may differ from the round before (_Rounds.fire says why
    the others' cannot): a chain of 240 suppressions in a pack of 2,000 other rules costs 240 rounds of its own
    few shards, not of the whole pack (1.7 s where it took 17.7 s; 0.7 s without the chain), and a round after
    one that set a fact asserts only into the shards whose rules read it.
    """
    bases = [next(view.facts for view in derived if view.params == params) for params in compiled.valuations]
    added: dict[str, Setting] = {}
    marks: set[str] = set()
    by_id = _rules_by_id(pack)
    rounds = _Rounds(compiled, bases, as_of)
    with engine.evaluations():  # the engine held once for all the rounds, not once per shard
        for _ in range((len(pack.facts) + 1) * (len(pack.rules) + 1) + 1):
            facts = {name: value for name, (value, _, _) in added.items()}
            fired = rounds.fire(facts, [by_id[r] for r in sorted(marks)])
            before, marks = (len(added), marks), set()
            _take(fired, added, marks)
            if (len(added), marks) == before:
                return Chained(fired, facts, rounds.work)
    raise engine.EngineError("the rounds of forward chaining did not settle")


@lru_cache(maxsize=32)  # once per pack (hashed by identity), not per scenario: 10,000 rules took 5 ms each time
def _rules_by_id(pack: Pack) -> dict[str, Rule]:
    """The pack's rules by id."""
    return {rule.id: rule for rule in pack.rules}


class _Plan(NamedTuple):
    """What `chain` needs of a compiled pack, worked out once per compilation (_plan): for each shard, the ids of
    its rules (`owners`) and the facts their conditions read (`reads`); the pack rule id of each engine rule name."""

    owners: tuple[frozenset[str], ...]
    reads: tuple[frozenset[str], ...]
    ids: dict[str, str]


class _Same:
    """`value` compared and hashed by identity: a cache key for an object whose own hash would walk its contents."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@lru_cache(maxsize=64)  # the compilations pipeline keeps (read_pack's and compiled_for's 32 each); the key holds it
def _plan(key: _Same) -> _Plan:
    compiled = cast(Compiled, key.value)
    rules = [[compiled.rules[name] for name in shard.definition if name in compiled.rules] for shard in compiled.shards]
    return _Plan(tuple(frozenset(rule.id for rule in own) for own in rules),
                 tuple(frozenset(fact for rule in own for fact in facts_read(rule.when)) for own in rules),
                 {name: rule.id for name, rule in compiled.rules.items()})


class _Rounds:
    """The rounds of one `chain`: in each valuation, the rules that fire on its view's facts with the facts rules
    set so far and the marks of the rules that the round before suppressed. A shard is asserted into again only
    when its answer may have changed (`fire`); `work` counts the rules asserted into and the engine's calls back
    into Python there (Chained.work)."""

    def __init__(self, compiled: Compiled, bases: list[dict], as_of: dt.date):
        self.compiled, self.bases, self.as_of = compiled, bases, as_of
        self.work = 0
        self.facts: dict = {}
        # shard index -> (its rules' marks, the rules that fired, their ids) when it was last asserted into
        self.last: dict[int, tuple[frozenset[str], list[str], frozenset[str]]] = {}
        self.plan = _plan(_Same(compiled))

    def fire(self, facts: dict, marks: list[Rule]) -> list[Rule]:
        """The rules that fire in this round, shard by shard in compiled order. A shard is asserted into again only
        when its answer may differ from the last time it was. Why the others' cannot: a rule fires exactly when its
        condition holds on the facts it reads (those of facts_read; the date of the advice and the parameters are
        the same in every round), its mark ($nex of its marker) is absent, and its alternatives match; an action
        only records a name, so no rule's firing depends on another's. Between rounds, the facts rules set only
        accumulate, each with one value (SetsConflict otherwise), so the facts that differ are the ones newly set.
        A shard none of whose rules read one of those, none of whose rules lost its mark and none of whose rules
        that fired gained one, fires exactly the rules it fired, and the same number of times: its last answer
        stands. (A rule that fired and gains a mark would just drop out; the shard still runs again, so that the
        order of what fires stays the engine's own.)"""
        new = facts.keys() - self.facts.keys()
        self.facts = facts
        marked = {rule.id for rule in marks}
        plan = self.plan
        fired: list[str] = []
        for valuation, base in enumerate(self.bases):
            due = [index for index, shard in enumerate(self.compiled.shards)
                   if shard.valuation == valuation and self._due(index, marked & plan.owners[index], new)]
            if due:
                encoded = encode_facts(self.compiled, base | facts, self.as_of, marks)
                answers = engine.run_shards([self.compiled.shards[index] for index in due], encoded)
                for index, (names, firings) in zip(due, answers):
                    self.last[index] = (frozenset(marked & plan.owners[index]), names,
                                        frozenset(map(plan.ids.__getitem__, names)))
                    self.work += len(plan.owners[index]) + firings
            for index, shard in enumerate(self.compiled.shards):
                if shard.valuation == valuation:
                    fired += self.last[index][1]
        return [self.compiled.rules[name] for name in fired]

    def _due(self, index: int, own: set[str], new: set[str]) -> bool:
        """Whether shard `index` must be asserted into again, its rules' marks now being `own` and the facts `new`
        newly set (fire says why)."""
        if index not in self.last or not new.isdisjoint(self.plan.reads[index]):
            return True
        marks, _, fired = self.last[index]
        return bool(marks - own) or not fired.isdisjoint(own - marks)


# A fact set by rules: its value, the rule that set it, and how many facts rules had set before the round that
# rule fired in (the first ones of `added`, in order: those it saw)
Setting = tuple[Value, Rule, int]


def _take(fired: list[Rule], added: dict[str, Setting], suppressed: set[str]) -> None:
    """Add to `added` the facts the fired rules (of one round) set, with the rule that set each, and to
    `suppressed` the rules they suppress; a fact set to two different values is an error (SetsConflict)."""
    seen = len(added)
    # pack order, whatever valuation fired it; only the few rules that set or suppress are sorted
    for rule in sorted((r for r in fired if r.sets or r.suppresses), key=lambda r: r.order):
        for name, value in rule.sets:
            if name in added and added[name][0] != value:
                raise SetsConflict(_conflict(name, added[name], (value, rule), fired, added))
            added.setdefault(name, (value, rule, seen))
        suppressed.update(rule.suppresses)


class SetsConflict(InputError):
    """Two rules that fire for one scenario set a fact to different values (`sets:`; advise check warns of it
    as L208): a mistake in the pack that this scenario brings out. advise_document reports it at the scenario
    as a whole (`path: message`, exit 2), the rules' places in the message; `advise test` reports it as that
    scenario's failure and goes on (expect.run_tests), so it keeps the scenario's title and pack. `chain`, which
    knows no scenario, raises it without a path (why.py, which runs variants of a scenario, catches it)."""

    def __init__(self, message: Message, path: str = "", title: str | None = None, pack: Pack | None = None):
        super().__init__([about_file(path, message)])
        self.message, self.title, self.pack = message, title, pack


def _conflict(name: str, first: Setting, second: tuple[Value, Rule], fired: list[Rule],
              added: dict[str, Setting]) -> Message:
    """Why `name` cannot take the second value: both rules fire in this round, or the first fired in an earlier
    one, before a fact it reads was set (it tested the fact's absence), and no longer fires."""
    (value, rule, seen), (other_value, other) = first, second
    names = {"rule": other.id, "where": _place(other), "fact": name, "value": show(other_value), "other": rule.id,
             "other_where": _place(rule), "other_value": show(value)}
    unseen = set(list(added)[seen:])  # set in the round the first rule fired in, or after
    unset = None if rule in fired else next((fact for fact in facts_read(rule.when) if fact in unseen), None)
    if unset is None:
        return msg("c_sets_conflict", **names)
    return msg("c_sets_conflict_unset", **names, unset=unset)


def _place(rule: Rule) -> str:
    """`path:line` of a rule, for a message that names it."""
    return f"{shown_path(rule.where.path)}:{rule.where.line}"


@contextmanager
def platform_assumed(doc: Document, rules: str | Path | None, assumed: bool | None = None,
                     platform: str = "crowdworks") -> Iterator[None]:
    """An InputError raised inside at the scenario (`doc`), for a scenario without platform: that got `platform`
    (`assumed`: None, worked out from `doc` and `rules`), says so once more, at the file, with the packs there are:
    a Fiverr user who forgot platform: is otherwise told to change facts (a fee in dollars, a fact by another name)
    that were right."""
    try:
        yield
    except InputError as error:
        if assumed is None:
            assumed = _assumed(doc, rules)
        # a mistake in the pack itself (a file it cannot read) is the pack's whatever the scenario says
        if not assumed or type(error) is not InputError or all(d.path != doc.path for d in error.diagnostics):
            raise
        packs = ", ".join(folder.name for folder in pack_folders(rules or bundled_rules())) or msg("c_no_packs")
        note = msg("c_platform_assumed", id=platform, packs=packs)
        raise InputError([*error.diagnostics, about_file(doc.path, note)]) from None


def _assumed(doc: Document, rules: str | Path | None) -> bool:
    """Whether the scenario gets crowdworks for naming no platform: (not when --rules is one pack: that one is
    taken, as the user chose it)."""
    return isinstance(doc.data, dict) and "platform" not in doc.data and not _one_pack(rules)


def _one_pack(rules: str | Path | None) -> bool:
    """Whether `rules` (--rules) is one pack folder rather than a folder of packs."""
    return rules is not None and pack_folders(rules) == [Path(rules)]


def pack_for(doc: Document, rules: str | Path | None) -> tuple[Pack, Compiled]:
    """The pack for the scenario's platform: from `rules` (one pack, or a folder of packs) or the bundled ones. A
    scenario without platform: gets the one pack `rules` names, else crowdworks."""
    platform = scenario_platform(doc)
    if "platform" not in doc.data and _one_pack(rules):  # never a "crowdworks" the user did not write
        return read_pack(str(rules), _signature(str(rules)))
    found = _find(platform, rules)
    if isinstance(found, Message):
        raise InputError([doc.error(found, "platform")])
    return found


def pack_named(platform: str | None, rules: str | Path | None = None) -> Pack:
    """The pack for a platform, when no scenario names it (`advise rules`, `advise graph`); without a platform,
    the one pack `rules` names, or crowdworks."""
    if platform is None and _one_pack(rules):
        return read_pack(str(rules), _signature(str(rules)))[0]
    found = _find("crowdworks" if platform is None else platform, rules)  # --platform "": unknown, not the default
    if isinstance(found, Message):
        raise InputError([about_file(rules or bundled_rules(), found)])
    return found[0]


def platform_folder(root: str | Path, platform: str | None) -> str | Path:
    """The folder of the platform's pack in `root` (a folder of packs; `root` itself when it is one pack or no
    platform is named): `advise check --platform`. Raises InputError, at `root`, for a platform with no pack there."""
    if platform is None:
        return root
    if not _PLATFORM.fullmatch(platform):
        raise InputError([about_file(root, _unknown_platform(platform, {f.name: f for f in pack_folders(root)}))])
    directory, problem = _pack_directory(str(root), platform)
    if problem:
        raise InputError([about_file(root, problem)])
    if directory == str(root):  # one pack: its pack.yaml id must be the platform, as for advise rules, graph, ask
        try:
            data = read_file(Path(directory) / PACK_FILE).data
        except InputError:  # no pack.yaml, or not YAML: a finding of the check itself
            data = None
        pack_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(pack_id, str) and pack_id != platform:
            raise InputError([about_file(root, msg("c_platform_mismatch", platform=escaped(clipped(platform)),
                                                   directory=directory, pack=escaped(clipped(pack_id))))])
    return directory


# A pack id (pack.schema.json): what a platform name is matched against before anything else, so that a
# scenario's `platform: ../../x` or `/some/dir` is never a path: it names no pack folder and opens no file.
_PLATFORM = re.compile(r"[a-z][a-z0-9_]*")


def _find(platform: str, rules: str | Path | None) -> tuple[Pack, Compiled] | Message:
    """The platform's pack and its compiled rules, or why there is none."""
    root = str(rules if rules is not None else bundled_rules())
    if _PLATFORM.fullmatch(platform):  # the folder found for it before (_pack_directory): no folder listed again
        directory, problem = _pack_directory(root, platform)
        if problem is None and Path(directory).name == platform:
            return _read_as(directory, platform)
    # a pack's folder named as it is needs no pack.yaml read for the names (a scenario names its pack so, mostly)
    folders = {folder.name for folder in pack_folders(root)}  # never a path made of the text (a name too long)
    names = {} if platform in folders else _pack_names(root)
    platform = platform_id(platform, rules, names) if names else platform
    if not _PLATFORM.fullmatch(platform):
        return _unknown_platform(platform, {folder.name: folder for folder in pack_folders(root)}, names)
    directory, problem = _pack_directory(root, platform)
    if problem:
        return problem
    return _read_as(directory, platform)


def _read_as(directory: str, platform: str) -> tuple[Pack, Compiled] | Message:
    """The pack in `directory` and its compiled rules, or why it is not the platform's (its id is another)."""
    pack, compiled = read_pack(directory, _signature(directory))
    if pack.id != platform:
        return msg("c_platform_mismatch", platform=escaped(clipped(platform)), directory=directory, pack=pack.id)
    return pack, compiled


@lru_cache(maxsize=256)
def _pack_directory(root: str, platform: str) -> tuple[str, Message | None]:
    """(the folder of the platform's pack, None), or ("", why there is none): `root` itself when it is one
    pack, else the pack in it whose folder is named by the platform (pack_folders)."""
    folders = pack_folders(root)
    if folders == [Path(root)]:
        return root, None  # as given, so that messages name the folder as the user wrote it
    named = {folder.name: folder for folder in folders}
    if platform in named:
        return str(named[platform]), None
    return "", _unknown_platform(platform, named, _pack_names(root))


def _unknown_platform(platform: str, named: dict[str, Path], names: dict[str, str] | None = None) -> Message:
    """"unknown platform", with the packs there are, and "did you mean" for a near miss of a pack's id or of its
    name (`names`, _pack_names); the name as text (escaped, on one line), never a path."""
    words = [*named, *(names or {})]
    return msg("c_unknown_platform", platform=escaped(clipped(platform)), hint=did_you_mean(platform, words),
               packs=", ".join(named) or msg("c_no_packs"))


def platform_id(platform: str, rules: str | Path | None, names: dict[str, str] | None = None) -> str:
    """The platform a scenario's platform: (or --platform) means: a pack's id or name, in any case and width, as
    the platform naming that pack in `rules` (default: the bundled packs); any other text as it is (refused as an
    unknown platform once a pack is looked for). `names`: _pack_names of `rules`, when already read."""
    if not platform.strip():
        return platform  # --platform "" names no pack, never one whose name folds to nothing
    names = _pack_names(str(rules if rules is not None else bundled_rules())) if names is None else names
    return names.get(folded(platform), platform)


def _pack_names(root: str) -> dict[str, str]:
    """Each pack's id and its own name in either language (pack.yaml name:), folded (model.folded: any case and
    width) -> the platform that names the pack (its folder; the id when `root` is one pack): a scenario's
    `platform: クラウドワークス`, `Fiverr` or `ｆｉｖｅｒｒ` is certain to mean that pack, as `advise ask` takes the
    names at its platform question. Read from the pack.yaml files alone; one that cannot be read names nothing
    (it is reported once its pack is chosen)."""
    folders = pack_folders(root)
    found: dict[str, str] = {}
    for folder in folders:
        try:
            data = read_file(folder / PACK_FILE).data
        except InputError:
            continue
        if not isinstance(data, dict):
            continue
        pack_id = data.get("id") if folders == [Path(root)] else folder.name
        if not isinstance(pack_id, str):
            continue
        names = data.get("name")
        words = [pack_id, *(names.values() if isinstance(names, dict) else ())]
        for word in words:
            if isinstance(word, str) and word.strip():
                found.setdefault(folded(word), pack_id)
    return found


@lru_cache(maxsize=32)
def read_pack(directory: str, signature: tuple = ()) -> tuple[Pack, Compiled]:
    """One pack folder, read and compiled once per process and version of its files (`signature`), and once for
    every process while its files stay the same (cache.py, unless --no-cache). Raises InputError for a pack with
    mistakes (never cached)."""
    return cache.cached(directory, _load_pack, compile_pack)


def _load_pack(directory: str) -> Pack:
    """validate.load_pack, imported only when a pack is read from its files: a run whose pack is in the cache
    needs none of the pack's validation."""
    from .validate import load_pack
    return load_pack(directory)


def _signature(directory: str) -> tuple:
    """Changes when a file of the pack changes, so that a pack edited while a process runs is read again."""
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if is_pack_file(entry.name):
                try:
                    found.append((entry.name, entry.stat().st_mtime_ns, entry.stat().st_size))
                except OSError:  # a dangling link: load_pack reports it, at the file
                    found.append((entry.name, 0, 0))
    return tuple(sorted(found))


@lru_cache(maxsize=32)
def compiled_for(pack: Pack, params: tuple[tuple[str, Value], ...]) -> Compiled:
    """The pack compiled with some parameters replaced (a scenario's params:), once per pack and values among
    the 32 most recently used (the engine keeps the rulesets it registers in a bounded cache of its own)."""
    return compile_pack(pack, dict(params))
