"""Process start to the first threads painted, against a bare Textual app.

    uv run python bench/startup.py

Warm: a cache exists for the platform and token (demo mode, and against a
simulator process on loopback), so the first threads come from it. Cold: no
cache (`--no-cache`), so they come from the platform (the first page fetched by
the head start's second process while Textual starts). Measured in a real
terminal (tmux, polling the pane until the threads, or the bare app's label,
are on screen) and headless (each process exits as soon as it has painted).
Runs alternate so that machine noise hits every kind alike.
Goals: warm within 1.3x of the bare app, cold within 2.0x (issue "One house").
"""

from __future__ import annotations

import compileall
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict

from _common import ROOT, median, platform_flags, simulator_process, verdict

RUNS = 11
PYTHON = sys.executable
PROBE = str(ROOT / "bench" / "_startup_probe.py")
BARE_SCRIPT = (
    "from textual.app import App\nfrom textual.widgets import Label\n"
    "class Bare(App):\n    def compose(self):\n        yield Label('bare app ready')\nBare().run()\n"
)
TIMEOUT = 30.0
COLD_READY = ("threads loaded", "fetched while starting")
"""The status line once the first threads are painted: from the first page the inbox asked for,
or from the one its head start fetched while Textual started (`cli/head_start.py`)."""


# A tmux server of our own, kept alive by an idle session, so that starting and
# killing the measured sessions never races with the server shutting down.
TMUX = ["tmux", "-L", f"connector-inbox-bench-{uuid.uuid4().hex[:6]}"]


def in_tmux(
    command: list[str],
    ready_text: str | tuple[str, ...],
    env: dict[str, str] | None = None,
    linger: float = 0,
) -> float:
    session = f"bench-{uuid.uuid4().hex[:8]}"
    environment = [arg for name, value in (env or {}).items() for arg in ("-e", f"{name}={value}")]
    started = time.perf_counter()
    subprocess.run(
        [
            *TMUX,
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            str(ROOT),
            *environment,
            *command,
        ],
        check=True,
    )
    try:
        while time.perf_counter() - started < TIMEOUT:
            pane = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if any(text in pane for text in ((ready_text,) if isinstance(ready_text, str) else ready_text)):
                elapsed = time.perf_counter() - started
                time.sleep(linger)
                return elapsed
            time.sleep(0.005)
        raise TimeoutError(f"{command} did not paint {ready_text!r}")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)


def headless(kind: str, *extra: str) -> float:
    started = time.perf_counter()
    with subprocess.Popen(
        [PYTHON, PROBE, kind, *extra], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "painted":
            raise RuntimeError(f"the {kind} probe did not paint")
        elapsed = time.perf_counter() - started
        child.wait(TIMEOUT)
    return elapsed


GOALS = {"warm": 1.3, "cold": 2.0}


def compare(label: str, goal: float, inbox: list[float], bare: list[float]) -> None:
    ratio = median(inbox) / median(bare)
    inbox_ms, bare_ms = median(inbox) * 1000, median(bare) * 1000
    print(f"{label}: inbox {inbox_ms:.0f} ms, bare Textual app {bare_ms:.0f} ms (medians of {RUNS})")
    print(f"ratio {label}: {ratio:.2f}x (goal <= {goal}x, {verdict(ratio, goal)})")


def fill_cache(cache_dir: str, *flags: str) -> None:
    """One session that loads the first page, so the next start is warm."""
    in_tmux(
        [PYTHON, "-m", "inbox_tui", *flags],
        "threads loaded",
        env={"XDG_CACHE_HOME": cache_dir},
        linger=2,  # the cache's writer commits meanwhile
    )


def main() -> None:
    # An installed connector-inbox has its bytecode compiled at install (uv's compile-bytecode),
    # and a checkout caches it on the first run; where PYTHONDONTWRITEBYTECODE is set, neither
    # would happen here and every start would compile the package's sources first.
    compileall.compile_dir(ROOT / "inbox_tui", quiet=1)
    timings: dict[str, list[float]] = defaultdict(list)
    cache_dir = tempfile.mkdtemp(prefix="connector-inbox-bench-")
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keeper", "sleep 3600"], check=True)
    inbox = [PYTHON, "-m", "inbox_tui"]
    env = {"XDG_CACHE_HOME": cache_dir}
    try:
        with simulator_process(threads=3000) as url:
            platform = platform_flags(url)
            fill_cache(cache_dir, "--demo")
            fill_cache(cache_dir, *platform)
            for _ in range(RUNS):
                timings["bare tmux"].append(in_tmux([PYTHON, "-c", BARE_SCRIPT], "bare app ready"))
                timings["warm tmux"].append(in_tmux([*inbox, "--demo"], "from the local cache", env=env))
                timings["cold tmux"].append(in_tmux([*inbox, "--demo", "--no-cache"], COLD_READY))
                timings["warm platform tmux"].append(
                    in_tmux([*inbox, *platform], "from the local cache", env=env)
                )
                timings["cold platform tmux"].append(in_tmux([*inbox, *platform, "--no-cache"], COLD_READY))
                timings["bare headless"].append(headless("bare"))
                timings["warm headless"].append(headless("warm", cache_dir))
                timings["cold headless"].append(headless("cold"))
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
        shutil.rmtree(cache_dir, ignore_errors=True)
    for kind in ("warm", "cold"):
        compare(
            f"{kind}, demo, real terminal (tmux)", GOALS[kind], timings[f"{kind} tmux"], timings["bare tmux"]
        )
        compare(
            f"{kind}, platform on loopback (tmux)",
            GOALS[kind],
            timings[f"{kind} platform tmux"],
            timings["bare tmux"],
        )
        compare(f"{kind}, demo, headless", GOALS[kind], timings[f"{kind} headless"], timings["bare headless"])


if __name__ == "__main__":
    main()
