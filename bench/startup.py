"""Process start to the first page of threads painted (demo mode), against a bare Textual app.

    uv run python bench/startup.py

Both are measured in a real terminal (tmux, polling the pane until the first
page, or the bare app's label, is on screen) and headless (each process exits
as soon as it has painted). Runs alternate so that machine noise hits both.
Goal: the inbox within 1.3x of the bare app. For information, the inbox is also
started in tmux against a platform (a simulator process on loopback), where it
sets up TLS and real HTTP instead of mounting the simulator.
"""

from __future__ import annotations

import compileall
import shutil
import subprocess
import sys
import time
import uuid
from collections import defaultdict

from _common import ROOT, median, platform_flags, simulator_process, verdict

RUNS = 7
PYTHON = sys.executable
PROBE = str(ROOT / "bench" / "_startup_probe.py")
BARE_SCRIPT = (
    "from textual.app import App\nfrom textual.widgets import Label\n"
    "class Bare(App):\n    def compose(self):\n        yield Label('bare app ready')\nBare().run()\n"
)
TIMEOUT = 30.0


# A tmux server of our own, kept alive by an idle session, so that starting and
# killing the measured sessions never races with the server shutting down.
TMUX = ["tmux", "-L", f"connector-inbox-bench-{uuid.uuid4().hex[:6]}"]


def in_tmux(command: list[str], ready_text: str) -> float:
    session = f"bench-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", "-c", str(ROOT), *command],
        check=True,
    )
    try:
        while time.perf_counter() - started < TIMEOUT:
            pane = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if ready_text in pane:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise TimeoutError(f"{command} did not paint {ready_text!r}")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)


def headless(kind: str) -> float:
    started = time.perf_counter()
    with subprocess.Popen([PYTHON, PROBE, kind], cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "painted":
            raise RuntimeError(f"the {kind} probe did not paint")
        elapsed = time.perf_counter() - started
        child.wait(TIMEOUT)
    return elapsed


def compare(label: str, inbox: list[float], bare: list[float]) -> None:
    ratio = median(inbox) / median(bare)
    inbox_ms, bare_ms = median(inbox) * 1000, median(bare) * 1000
    print(f"{label}: inbox {inbox_ms:.0f} ms, bare Textual app {bare_ms:.0f} ms (medians of {RUNS})")
    print(f"ratio {label}: {ratio:.2f}x (goal <= 1.3x, {verdict(ratio, 1.3)})")


def main() -> None:
    # An installed connector-inbox has its bytecode compiled at install (uv's compile-bytecode),
    # and a checkout caches it on the first run; where PYTHONDONTWRITEBYTECODE is set, neither
    # would happen here and every start would compile the package's sources first.
    compileall.compile_dir(ROOT / "inbox_tui", quiet=1)
    has_tmux = shutil.which("tmux") is not None
    timings: dict[str, list[float]] = defaultdict(list)
    if has_tmux:
        subprocess.run([*TMUX, "new-session", "-d", "-s", "keeper", "sleep 3600"], check=True)
    try:
        with simulator_process(threads=3000) as url:
            for _ in range(RUNS):
                if has_tmux:
                    inbox = [PYTHON, "-m", "inbox_tui"]
                    timings["inbox tmux"].append(in_tmux([*inbox, "--demo"], "threads loaded"))
                    timings["bare tmux"].append(in_tmux([PYTHON, "-c", BARE_SCRIPT], "bare app ready"))
                    timings["platform tmux"].append(in_tmux([*inbox, *platform_flags(url)], "threads loaded"))
                timings["inbox headless"].append(headless("inbox"))
                timings["bare headless"].append(headless("bare"))
    finally:
        if has_tmux:
            subprocess.run([*TMUX, "kill-server"], capture_output=True)
    if has_tmux:
        platform_ms = median(timings["platform tmux"]) * 1000
        platform = median(timings["platform tmux"]) / median(timings["bare tmux"])
        print(
            f"against a platform on loopback instead of demo mode (tmux): inbox {platform_ms:.0f} ms, "
            f"{platform:.2f}x the bare app (for information)"
        )
        compare("real terminal (tmux)", timings["inbox tmux"], timings["bare tmux"])
    else:
        print("tmux is not installed: real-terminal figures skipped")
    compare("headless", timings["inbox headless"], timings["bare headless"])


if __name__ == "__main__":
    main()
