"""advise batch under Dask: every JSON Lines file a pattern matches is one partition, advised by the function
advise batch itself uses (advisor.batch.dask_files: it reads each file as advise batch reads IN), and written to
a file of the same name in OUT_DIR, the same bytes as `advise batch FILE` writes for it, FILE being the path as
the pattern gives it (relative when the pattern is; docs/batch.md).

    python examples/dask_batch.py 'cases-*.jsonl' answers/ [--lang ja] [--rules DIR] [--scheduler processes]

Needs the dask extra, installed from advise's folder: pip install -e '.[dask]'. tests/test_batch.py runs it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import os

from advisor.batch import dask_files


def advise_files(pattern: str, out_dir: str, lang: str | None = None, rules: str | None = None,
                 scheduler: str = "processes") -> list[str]:
    """Advise every line of the files matching `pattern` (sorted by name), one Dask partition a file, and write
    OUT_DIR/<file name> for each; returns the paths written. `lang`: as advise's --lang (default: the locale's,
    as advise). `scheduler`: "processes" spreads the files over the cores, "threads" or "sync" keeps one process
    (the engine's work holds the GIL, so threads give no speed). Exits with a message, writing nothing, when two
    input files have the same name or OUT_DIR holds an input file: an answer file would replace another file."""
    import dask.bag as db

    files = sorted(glob.glob(pattern))
    if not files:
        raise SystemExit(f"{pattern}: no such files")
    targets = [os.path.join(out_dir, os.path.basename(path)) for path in files]
    if len(set(targets)) < len(targets):
        raise SystemExit(f"{pattern}: two input files have the same name; their answers would share one file")
    if any(os.path.exists(target) and os.path.samefile(target, path) for target, path in zip(targets, files)):
        raise SystemExit(f"{out_dir}: holds the input files; the answers would replace them")
    if lang is None:
        from advisor.cli import default_lang
        lang = default_lang()
    today = dt.date.today()  # one date for the whole run, as advise batch fixes it once
    # One path a partition, read by dask_files as advise batch reads IN (not by dask.bag.read_text, whose text
    # reading stops at a byte that is not UTF-8 and ends a line at a lone \r): each file's answers are then what
    # advise batch writes for it, its lines numbered as in the file and its path as the pattern gives it.
    paths = db.from_sequence(files, partition_size=1)
    answers = paths.map_partitions(dask_files, lang=lang, rules=rules, today=today)
    os.makedirs(out_dir, exist_ok=True)
    return answers.to_textfiles(targets, encoding="utf-8", last_endline=True, scheduler=scheduler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", help="the input files, e.g. 'cases-*.jsonl' (quoted: Dask expands it)")
    parser.add_argument("out_dir", help="the folder the answers are written to, one file per input file")
    parser.add_argument("--lang", default=None, choices=("en", "ja"), help="default: the locale's, as advise")
    parser.add_argument("--rules", default=None, help="a folder of rule packs, as advise --rules")
    parser.add_argument("--scheduler", default="processes", choices=("processes", "threads", "sync"))
    args = parser.parse_args()
    for path in advise_files(args.pattern, args.out_dir, args.lang, args.rules, args.scheduler):
        print(path)


if __name__ == "__main__":
    main()
