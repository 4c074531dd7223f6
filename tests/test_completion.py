"""Shell completion, generated from the parser: bash is run for real; zsh and fish are read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from inbox_tui.__main__ import main


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("connector-inbox li", "list"),
        ("connector-inbox wa", "watch"),
        ("connector-inbox export --fo", "--format"),
        ("connector-inbox export --format ", "jsonl csv"),
        ("connector-inbox cache ", "info compact clear"),
        ("connector-inbox list --order u", "updated"),
        ("connector-inbox completion ", "bash zsh fish"),
        ("connector-inbox --pro", "--profile"),
    ],
)
def test_bash_completes_commands_flags_and_their_values(
    typed: str, offered: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "completion.bash"
    path.write_text(script("bash", capsys))
    # What bash does as the user presses tab: the words typed, and which one is being completed.
    empty_last_word = 'COMP_WORDS+=("")' if typed.endswith(" ") else ":"
    probe = "\n".join(
        [
            f"source {path}",
            f'read -ra COMP_WORDS <<< "{typed}"',
            empty_last_word,
            "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))",
            "_connector_inbox",
            'echo "${COMPREPLY[*]}"',
        ]
    )
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == offered


def test_zsh_loads_the_bash_completion_through_bashcompinit(capsys: pytest.CaptureFixture[str]) -> None:
    text = script("zsh", capsys)
    assert text.startswith("#compdef connector-inbox\n") and "bashcompinit" in text
    assert "complete -o default -F _connector_inbox connector-inbox" in text


def test_fish_knows_each_command_and_the_values_of_its_flags(capsys: pytest.CaptureFixture[str]) -> None:
    text = script("fish", capsys)
    assert "complete -c connector-inbox -n '__fish_use_subcommand' -a watch -d 'print new threads" in text
    assert "-n '__fish_seen_subcommand_from export' -l format -x -a 'jsonl csv'" in text
    assert "-n '__fish_seen_subcommand_from cache' -a 'info compact clear'" in text
