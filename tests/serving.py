"""A real `connector-inbox serve` process for the tests that talk to it: its URL, secret and children."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("connector-inbox serve did not start") from None
            time.sleep(0.1)


@dataclass
class Serving:
    process: subprocess.Popen[bytes]
    port: int
    url: str
    secret: str
    stderr_path: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def cookie(self) -> dict[str, str]:
        return {f"connector-inbox-{self.port}": self.secret}

    def stderr(self) -> str:
        return self.stderr_path.read_text()


def start_serve(tmp_path: Path, *flags: str, environment: dict[str, str] | None = None) -> Serving:
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("CONNECTOR_INBOX_")}
    for folder in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[folder] = str(tmp_path / folder)
    env.update(environment or {})
    stderr_path = tmp_path / "serve.err"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "inbox_tui", "serve", "--no-cache", "--port", str(port), *flags],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    wait_until_listening(process, port)
    match = re.search(r"Open (http://\S+\?token=(\S+))", stderr_path.read_text())
    assert match, stderr_path.read_text()
    return Serving(process, port, match.group(1), match.group(2), stderr_path)


def stop(serving: Serving) -> None:
    serving.process.terminate()
    serving.process.wait(10)


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
