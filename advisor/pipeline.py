"""The whole pipeline for one scenario: load -> validate -> derive -> compile -> run -> explain.

Rendering is left to the caller. Packs and their compiled form are cached per process, so a batch of
scenarios (the test suite) reads and compiles each pack once.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from . import engine
from .compile import Compiled, compile_pack, encode_facts
from .derive import derive
from .diagnostics import InputError, did_you_mean
from .explain import Advice, explain
from .load import Document, read_file
from .model import Pack
from .validate import FACTS_FILE, PACK_FILE, load_pack, scenario_platform, validate_scenario


@lru_cache(maxsize=None)
def bundled_rules() -> Path:
    """The rule packs shipped with advise: installed inside the package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "rules"
    return installed if installed.is_dir() else here.parent / "rules"


def advise_file(path: str | Path, rules: str | Path | None = None, today: dt.date | None = None) -> Advice:
    """Advice for the scenario file at `path` (`-` for standard input)."""
    return advise_document(read_file(path), rules, today)


def advise_document(doc: Document, rules: str | Path | None = None, today: dt.date | None = None) -> Advice:
    pack, compiled = pack_for(doc, rules)
    scenario = validate_scenario(doc, pack, today or dt.date.today())
    facts = derive(pack, scenario.facts, scenario.as_of)
    fired = [compiled.rules[name] for name in engine.run(compiled, encode_facts(facts))]
    return explain(pack, scenario, facts, fired)


def pack_for(doc: Document, rules: str | Path | None) -> tuple[Pack, Compiled]:
    """The pack for the scenario's platform: from `rules` (one pack, or a folder of packs) or the bundled ones."""
    platform = scenario_platform(doc)
    directory, problem = _pack_directory(str(rules if rules is not None else bundled_rules()), platform)
    if problem:
        raise InputError([doc.error(problem, "platform")])
    pack, compiled = read_pack(directory)
    if pack.id != platform:
        raise InputError([doc.error(f'platform "{platform}" does not match the rule pack in {directory} '
                                    f'("{pack.id}")', "platform")])
    return pack, compiled


@lru_cache(maxsize=None)
def _pack_directory(root: str, platform: str) -> tuple[str, str | None]:
    """(the folder of the platform's pack, None), or ("", why there is none).

    `root` is one pack (it has pack.yaml, or at least facts.yaml) or a folder of packs named by platform;
    a folder that turns out not to be a pack is reported by load_pack, at the folder.
    """
    folder = Path(root)
    if (folder / PACK_FILE).is_file() or (folder / FACTS_FILE).is_file():
        return root, None
    if (folder / platform).is_dir():
        return str(folder / platform), None
    available = sorted(p.parent.name for p in folder.glob(f"*/{PACK_FILE}"))
    return "", f'unknown platform "{platform}"{did_you_mean(platform, available)}; rule packs: {", ".join(available) or "none"}'


@lru_cache(maxsize=None)
def read_pack(directory: str) -> tuple[Pack, Compiled]:
    """One pack folder, read and compiled once per process."""
    pack = load_pack(directory)
    return pack, compile_pack(pack)
