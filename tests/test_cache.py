"""The compiled-pack cache (advisor/cache.py): what a user notices is advice identical with and without it, a pack
edited in any way read again, a damaged or foreign cache file never in the way, and nothing written where asked not
to or where nothing can be written."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import fields
from hashlib import blake2b
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_packs import write_pack, write_scenario

from advisor import cache
from advisor.cli import main
from advisor.compile import compile_pack
from advisor.diagnostics import InputError
from advisor.load import bundled_rules, pack_folders
from advisor.messages import catalog
from advisor.validate import load_pack

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A cache folder of the test's own, empty."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADVISE_CACHE_DIR", str(folder))
    monkeypatch.delenv("ADVISE_NO_CACHE", raising=False)
    cache.use(True)
    return folder


@pytest.fixture
def pack(tmp_path):
    """A copy of the bundled CrowdWorks pack (a folder no other test reads, so no process has it in memory)."""
    return Path(shutil.copytree(bundled_rules() / "crowdworks", tmp_path / "crowdworks"))


def entries(folder: Path) -> list[str]:
    """The packs' entries (the catalogs' are cache.cached_data's, named data-*.json)."""
    return sorted(name for name in os.listdir(folder) if not name.startswith(cache.DATA_PREFIX)) \
        if folder.exists() else []


def unusable(directory: str):
    """A read of the pack that must not happen (the cache had it)."""
    raise AssertionError(f"{directory} was read from its files")


def same_pack(first, second) -> None:
    """Two packs equal field by field (a Pack compares by identity), their compiled forms equal, and the compiled
    rules those of their own pack."""
    (pack, compiled), (other, other_compiled) = first, second
    for field in fields(pack):
        assert getattr(pack, field.name) == getattr(other, field.name), field.name
    assert compiled == other_compiled
    assert all(rule is other.rules[rule.order] for rule in other_compiled.rules.values())


def through_json(pack, compiled, directory):
    return cache.decode(json.loads(json.dumps(cache.encode(pack, compiled))), directory)


@pytest.mark.parametrize("folder", pack_folders(), ids=lambda folder: folder.name)
def test_every_bundled_pack_decodes_as_it_was_read(folder):
    pack = load_pack(str(folder))
    compiled = compile_pack(pack)
    same_pack((pack, compiled), through_json(pack, compiled, str(folder)))


def test_a_generated_pack_of_every_kind_of_condition_decodes_as_it_was_read(tmp_path):
    folder = str(write_pack(tmp_path / "big", 1200))
    pack = load_pack(folder)
    compiled = compile_pack(pack)
    assert len(compiled.valuations) == 1 and any(rule.suppresses for rule in pack.rules)
    same_pack((pack, compiled), through_json(pack, compiled, folder))


def test_a_pack_named_otherwise_than_when_it_was_cached_names_its_files_as_given_now(store, pack, monkeypatch):
    cache.cached(str(pack), load_pack, compile_pack)
    monkeypatch.chdir(pack.parent)
    for spelling in ("crowdworks", "./crowdworks/", "../" + pack.parent.name + "/crowdworks"):
        found = cache.cached(spelling, unusable, unusable)
        fresh = load_pack(spelling)
        same_pack(found, (fresh, compile_pack(fresh)))  # Where.path included: crowdworks/rules.yaml, as given


def test_a_cache_hit_reads_no_pack_file(store, pack):
    first = cache.cached(str(pack), load_pack, compile_pack)
    assert len(entries(store)) == 1
    same_pack(first, cache.cached(str(pack), unusable, unusable))


def run(*args: str, cache_folder: Path, **env: str) -> subprocess.CompletedProcess:
    """advise as a new process, as a user runs it."""
    environment = {**os.environ, "ADVISE_CACHE_DIR": str(cache_folder), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, cwd=ROOT,
                          env=environment, timeout=300)


@pytest.mark.parametrize("lang, fmt", [("en", "text"), ("ja", "json")])
def test_the_advice_from_a_cached_pack_is_byte_for_byte_the_advice_read_from_its_files(store, pack, lang, fmt):
    args = ("--lang", lang, "--format", fmt, "--explain", "--rules", str(pack.parent), str(EXAMPLE))
    without = run("--no-cache", *args, cache_folder=store)
    assert without.returncode == 0 and without.stderr == "" and entries(store) == []
    written = run(*args, cache_folder=store)
    assert entries(store) != []
    cached = run(*args, cache_folder=store)
    assert (written.returncode, written.stdout, written.stderr) == (0, without.stdout, "")
    assert (cached.returncode, cached.stdout, cached.stderr) == (0, without.stdout, "")


def test_a_large_pack_gives_the_same_advice_from_the_cache(store, tmp_path):
    folder, scenario = write_pack(tmp_path / "big", 600), write_scenario(tmp_path / "big.yaml")
    without = run("--no-cache", "--rules", str(folder), str(scenario), cache_folder=store)
    assert without.returncode == 0 and without.stdout
    assert run("--rules", str(folder), str(scenario), cache_folder=store).stdout == without.stdout
    assert run("--rules", str(folder), str(scenario), cache_folder=store).stdout == without.stdout


def edit(path: Path, old: str, new: str) -> None:
    """Replace a text of the file by one of the same length, keeping the file's time: only its bytes change."""
    assert len(old.encode()) == len(new.encode())
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns


def test_a_pack_file_edited_in_place_is_read_again_and_replaces_its_entry(store, pack):
    before = cache.cached(str(pack), load_pack, compile_pack)[0]
    [entry] = entries(store)
    edit(pack / "pack.yaml", "CrowdWorks", "CrowdWorkz")
    after = cache.cached(str(pack), load_pack, compile_pack)[0]
    assert (before.name.en, after.name.en) == ("CrowdWorks", "CrowdWorkz")
    assert entries(store) == [entry]  # one entry per pack folder, rewritten
    assert cache.cached(str(pack), unusable, unusable)[0].name.en == "CrowdWorkz"


def test_a_pack_file_edited_in_place_changes_the_advice_of_the_next_process(store, pack):
    args = ("--lang", "en", "--rules", str(pack.parent), str(EXAMPLE))
    assert "CrowdWorks · as of" in run(*args, cache_folder=store).stdout
    edit(pack / "pack.yaml", "CrowdWorks", "CrowdWorkz")
    assert "CrowdWorkz · as of" in run(*args, cache_folder=store).stdout


def parts(text: str) -> tuple[dict, dict]:
    """A cache entry's two lines: its head (key and digest) and its body."""
    head, _, body = text.partition("\n")
    return json.loads(head), json.loads(body)


def entry(key: dict, body: dict, digest: str | None = None) -> str:
    """An entry as cache.py writes one: the head with the body's digest (`digest`: another one), then the body."""
    data = json.dumps(body, separators=(",", ":"))
    digest = digest or blake2b(data.encode("ascii"), digest_size=32).hexdigest()
    return json.dumps({"key": key, "digest": digest}) + "\n" + data


def spoiled(text: str) -> list[str]:
    """A cache entry as something else may have left it: damaged, cut short, of another version or format, JSON of
    another shape, naming a class that is not the model's, a value changed inside the JSON (the digest tells it)."""
    head, data = parts(text)
    key = head["key"]
    others = [{**key, "advise": "0.0.0"}, {**key, "format": key["format"] + 1}, {**key, "python": "2.7"}]
    other_fields = {**data, "fields": {**data["fields"], "Rule": data["fields"]["Rule"][:-1]}}
    no_pack = {**data, "pack": {"Text": ["a", "b"]}}
    foreign = {**data, "pack": {"os.system": ["echo hello"]}}
    short_rule = {**data, "compiled": {**data["compiled"], "rules": [["r0", 10 ** 6]]}}
    no_shards = {**data, "compiled": {**data["compiled"], "shards": []}}
    return ["\x00garbage{", text[: len(text) // 2], "", "[]", "null", '{"key": 1}', text + " ",
            *(entry(other, data) for other in others),
            *(entry(key, body) for body in (other_fields, no_pack, foreign, short_rule)),
            entry(key, no_shards, head["digest"])]


def test_a_damaged_or_foreign_cache_entry_is_ignored_and_rewritten(store, pack):
    fresh = cache.cached(str(pack), load_pack, compile_pack)
    [name] = entries(store)
    good = (store / name).read_text(encoding="ascii")
    for text in spoiled(good):
        (store / name).write_text(text, encoding="utf-8")
        same_pack(fresh, cache.cached(str(pack), load_pack, compile_pack))
        assert entries(store) == [name] and (store / name).read_text(encoding="ascii") == good


def test_a_damaged_cache_entry_gives_the_advice_without_a_word(store, pack):
    args = ("--lang", "en", "--rules", str(pack.parent), str(EXAMPLE))
    expected = run("--no-cache", *args, cache_folder=store).stdout
    run(*args, cache_folder=store)
    [name] = entries(store)
    (store / name).write_bytes((store / name).read_bytes()[:1000])
    done = run(*args, cache_folder=store)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")


@pytest.mark.parametrize("command, env", [
    (["--no-cache", "--lang", "en", "--rules", "{pack}", str(EXAMPLE)], {}),
    (["--lang", "en", "--rules", "{pack}", str(EXAMPLE)], {"ADVISE_NO_CACHE": "1"}),
    (["--no-cache", "rules", "--rules", "{pack}"], {}),
    (["rules", "--rules", "{pack}"], {"ADVISE_NO_CACHE": "yes"}),
])
def test_no_cache_and_advise_no_cache_write_nothing(store, pack, command, env):
    result = CliRunner().invoke(main, [arg.format(pack=pack) for arg in command], env=env)
    assert result.exit_code == 0 and result.stdout and result.stderr == ""
    assert entries(store) == []


def test_advise_no_cache_set_empty_or_to_0_leaves_it_on(store, pack, monkeypatch):
    for value in ("", "0"):
        monkeypatch.setenv("ADVISE_NO_CACHE", value)
        assert cache.active()
    monkeypatch.setenv("ADVISE_NO_CACHE", "1")
    assert not cache.active()


def test_no_cache_is_taken_before_any_command():
    for args in (["--no-cache", "--lang", "en", str(EXAMPLE)], ["--lang", "en", "--no-cache", str(EXAMPLE)],
                 ["--no-cache", "run", "--lang", "en", str(EXAMPLE)], ["--no-cache", "rules", "--lang", "en"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and result.stdout and result.stderr == "", args
        assert not cache.active()
    assert CliRunner().invoke(main, ["--lang", "en", str(EXAMPLE)]).exit_code == 0 and cache.active()


def test_advise_check_neither_reads_nor_writes_the_cache(store, pack):
    cache.cached(str(pack), load_pack, compile_pack)
    [name] = entries(store)
    (store / name).unlink()
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(pack)])
    assert result.exit_code == 0 and entries(store) == []


def test_a_pack_with_mistakes_is_never_cached(store, pack):
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text(encoding="utf-8").replace("id: crowdworks",
                                                                                            "id: 7"), encoding="utf-8")
    with pytest.raises(InputError):
        cache.cached(str(pack), load_pack, compile_pack)
    assert entries(store) == []


@pytest.mark.parametrize("where", ["under_a_file", "a_file"])
def test_a_cache_folder_that_cannot_be_written_still_gives_the_advice_without_a_word(tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    folder = blocker / "cache" if where == "under_a_file" else blocker
    args = ("--lang", "en", str(EXAMPLE))
    expected = run("--no-cache", *args, cache_folder=tmp_path / "unused").stdout
    done = run(*args, cache_folder=folder)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder\n"


def test_a_cache_that_cannot_be_written_leaves_no_temporary_file(store, pack, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    store.mkdir()
    monkeypatch.setattr(cache.os, "replace", full)
    same = cache.cached(str(pack), load_pack, compile_pack)
    assert same[0].id == "crowdworks" and entries(store) == []


def test_the_cache_file_is_json_and_holds_no_code(store, pack):
    cache.cached(str(pack), load_pack, compile_pack)
    [name] = entries(store)
    assert name.endswith(".json")
    head, data = parts((store / name).read_bytes().decode("ascii"))
    assert set(head) == {"key", "digest"} and set(data) == {"fields", "prefix", "pack", "compiled"}
    assert head["key"]["folder"] == str(pack.resolve()) and head["key"]["python"] == "%d.%d" % sys.version_info[:2]
    tags = set()

    def walk(value):
        if isinstance(value, dict) and len(value) == 1:
            tags.update(value)
        for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
            walk(item)

    walk(data["pack"])
    assert tags <= {"dict", "date", "datetime", "Text", "Where", "Derivation", "Fact", "Variant", "Parameter",
                    "Source", "Test", "Group", "Rule", "EventType", "Draft", "Pack"}


def test_the_cache_keeps_the_packs_used_last(store, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    folders = [shutil.copytree(bundled_rules() / "crowdworks", tmp_path / f"pack{index}") for index in range(3)]
    for folder in folders:
        cache.cached(str(folder), load_pack, compile_pack)
    assert len(entries(store)) == 2
    cache.cached(str(folders[2]), unusable, unusable)  # the last one written is kept
    cache.cached(str(folders[1]), unusable, unusable)


def test_the_cache_folder_follows_the_platform_conventions(monkeypatch, tmp_path):
    monkeypatch.setenv("ADVISE_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.folder() == tmp_path / "mine"
    monkeypatch.delenv("ADVISE_CACHE_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "advise"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # not absolute: ignored, as the XDG specification says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "advise"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache.folder() == tmp_path / "home" / "Library" / "Caches" / "advise"


def test_the_message_catalogs_are_kept_in_the_cache_and_rebuilt_when_damaged(store, pack):
    """Every run reads both languages' catalogs: the second process takes them from the cache, the same texts; a
    damaged or foreign entry is rebuilt without a word, and --no-cache keeps none."""
    args = ("--lang", "ja", "--rules", str(pack.parent), str(EXAMPLE))
    expected = run("--no-cache", *args, cache_folder=store)
    assert expected.returncode == 0 and not store.exists()
    assert run(*args, cache_folder=store).stdout == expected.stdout
    catalogs = sorted(name for name in os.listdir(store) if name.startswith(cache.DATA_PREFIX))
    assert catalogs == ["data-catalog-en.json", "data-catalog-ja.json"]
    assert run(*args, cache_folder=store).stdout == expected.stdout
    for damage in (b"{", b'{"key": 1, "data": {}}', b"[]", b'{"key": null, "data": {"x": 1}}'):
        (store / "data-catalog-ja.json").write_bytes(damage)
        done = run(*args, cache_folder=store)
        assert (done.returncode, done.stdout, done.stderr) == (0, expected.stdout, "")
    data = parts((store / "data-catalog-ja.json").read_text(encoding="ascii"))[1]
    assert data["internal_error"] == catalog.__wrapped__("ja")["internal_error"]


def test_trimming_the_cache_removes_advise_s_own_files_only(store, tmp_path, monkeypatch):
    """ADVISE_CACHE_DIR may name a folder that holds the user's files: only advise's entries and its own temporary
    files are ever removed, whatever their number and age."""
    monkeypatch.setattr(cache, "MAX_ENTRIES", 1)
    store.mkdir()
    theirs = ["data1.json", "notes.tmp", ".notes.tmp", "0123456789abcdef0123456789abcdef.json.bak",
              "0123456789abcdef0123456789abcdef.json", ".advise-x1.tmp"]  # the last two named as advise's own
    for name in theirs:
        (store / name).write_text("{}", encoding="utf-8")
        os.utime(store / name, (0, 0))
    folders = [shutil.copytree(bundled_rules() / "crowdworks", tmp_path / f"pack{index}") for index in range(3)]
    for folder in folders:
        cache.cached(str(folder), load_pack, compile_pack)
    assert len(entries(store) ) - len(theirs) == 1 and all((store / name).exists() for name in theirs)


@pytest.mark.parametrize("home", ["", "/nonexistent/home"])
def test_a_missing_or_empty_home_makes_no_cache_folder(pack, monkeypatch, home):
    """Without ADVISE_CACHE_DIR, the cache folder is made only inside a home that exists (never `/.cache`, never a
    whole missing home); the advice is the same."""
    monkeypatch.delenv("ADVISE_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    place = cache.folder()
    assert not place.exists()
    assert cache.cached(str(pack), load_pack, compile_pack)[0].id == "crowdworks"
    assert not place.exists() and not Path("/nonexistent").exists()
