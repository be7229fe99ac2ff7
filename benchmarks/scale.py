"""How advise's loading, compiling and checking scale with the number of rules, on generated packs.

Run from the repository root with the Python that has advise installed:

    python benchmarks/scale.py [RULES ...]     # default: 1000 2000 10000

Each pack is written by tests/scale_packs.py into a temporary folder, removed afterwards. Prints seconds
per stage, measured as `advise check` runs them (with the cycle collector paused, load.collector_paused), and
the wall time of `python -m advisor check FOLDER` as a new process, start-up included. There are no
thresholds (tests/test_scale.py checks the growth). benchmarks/bench.py (section 5) prints the load and
compile stages beside the advice times of the same packs.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from scale_packs import write_pack  # noqa: E402

from advisor.check import lints as run_lints  # noqa: E402
from advisor.compile import compile_pack  # noqa: E402
from advisor.load import collector_paused  # noqa: E402
from advisor.validate import load_pack  # noqa: E402


def stages(folder: str | Path, lints: bool = True) -> dict[str, float]:
    """Seconds spent on the pack in `folder`: "load" (reading, schema, validation), "compile" and, with `lints`,
    "lints" (those of advise check), in this process, with the cycle collector paused as advise pauses it."""
    with collector_paused():
        start = time.perf_counter()
        pack = load_pack(str(folder))
        loaded = time.perf_counter()
        compile_pack(pack)
        found = {"load": loaded - start, "compile": time.perf_counter() - loaded}
        if lints:
            start = time.perf_counter()
            run_lints(pack)
            found["lints"] = time.perf_counter() - start
    return found


def measure(rules: int) -> None:
    with tempfile.TemporaryDirectory(prefix="advise-scale-") as folder:
        write_pack(Path(folder), rules)
        found = stages(folder)
        command = [sys.executable, "-m", "advisor", "--lang", "en", "check", folder]
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        ran = time.perf_counter() - start
    print(f"{rules:>7} rules  load {found['load']:6.2f} s  compile {found['compile']:5.2f} s  "
          f"lints {found['lints']:5.2f} s  check in all {sum(found.values()):6.2f} s  advise check {ran:6.2f} s")


if __name__ == "__main__":
    for count in [int(arg) for arg in sys.argv[1:]] or [1000, 2000, 10000]:
        measure(count)
