"""Instructions executed from process start to the first threads painted, against a bare
Textual app, counted by valgrind's callgrind: the same figure on every run.

    uv run python bench/startup_instructions.py

A cold start's head start (`cli/head_start.py`) waits a quarter of a second of wall time
for its child's page; under callgrind both processes run some fifty times slower, so the
page may miss that wait, and then the cold figure is that of a start that connects by
itself (about 2,100 M against about 1,300 M; the child's instructions are printed beside).

`bench/startup.py` times the same starts, and on a shared 2-core machine its ratios
move by ±0.2× from one run to the next: a change worth a few milliseconds shows only
here. Instructions are not time (cache misses, the terminal), so the goals stay with
`bench/startup.py`; this tells whether a change made the start do less. Headless, as
`bench/_startup_probe.py` runs each kind. Needs valgrind (Debian's `valgrind`).
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile

from _common import ROOT

PROBE = str(ROOT / "bench" / "_startup_probe.py")
KINDS = ("bare", "warm", "cold")


def instructions(kind: str, cache_dir: str) -> tuple[int, int]:
    """Instructions of one probe run, `valgrind --tool=callgrind`'s "Collected" figure: the
    process's own, and those of the child a cold start forks for its first page (its head
    start, `cli/head_start.py`, run on the other core) or 0."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as out:
        probe = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/%p", sys.executable, PROBE, kind]
            + ([cache_dir] if kind == "warm" else []),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stdout, stderr = probe.communicate()
    collected = {int(pid): int(count) for pid, count in re.findall(r"==(\d+)== Collected : (\d+)", stderr)}
    if "painted" not in stdout or probe.pid not in collected:
        raise RuntimeError(f"the {kind} probe did not paint under callgrind:\n{stderr[-2000:]}")
    return collected.pop(probe.pid), sum(collected.values())


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt install valgrind); bench/startup.py times the start instead")
    compileall.compile_dir(ROOT / "inbox_tui", quiet=1)  # as an install does (see bench/startup.py)
    cache_dir = tempfile.mkdtemp(prefix="connector-inbox-bench-")
    try:
        # A demo mirror, so that the warm start reads its first threads from the cache.
        subprocess.run(
            [sys.executable, "-m", "inbox_tui", "--demo", "sync"],
            cwd=ROOT,
            env={**os.environ, "XDG_CACHE_HOME": cache_dir},
            check=True,
            capture_output=True,
        )
        counts, children = {}, {}
        for kind in KINDS:
            counts[kind], children[kind] = instructions(kind, cache_dir)
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    for kind in KINDS:
        child = f" (and {children[kind] / 1e6:,.0f} M in its head start's process)" if children[kind] else ""
        print(f"{kind:>5}: {counts[kind] / 1e6:,.0f} M instructions until painted{child}")
    for kind in ("warm", "cold"):
        print(f"ratio {kind} / bare, instructions: {counts[kind] / counts['bare']:.2f}x")


if __name__ == "__main__":
    main()
