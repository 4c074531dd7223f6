"""`connector-inbox completion bash|zsh|fish`: shell completion generated from the parser itself.

The commands, their flags and the flags' fixed choices are read from argparse, so
a new command or flag completes without anyone writing a script by hand. The
script is static: completing costs the shell nothing, and starts no Python.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from inbox_tui.cli.common import EXIT_OK

NAME = "completion"
HELP = "print a shell completion script (bash, zsh or fish)"
EXAMPLE = "connector-inbox completion bash > ~/.local/share/bash-completion/completions/connector-inbox"
DESCRIPTION = (
    "Print a completion script for your shell, made from the command line itself. "
    "bash: save it as ~/.local/share/bash-completion/completions/connector-inbox; "
    "zsh: save it as _connector-inbox in a folder of your $fpath; "
    "fish: save it as ~/.config/fish/completions/connector-inbox.fish."
)
PROGRAM = "connector-inbox"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=("bash", "zsh", "fish"))


def run(args: argparse.Namespace) -> int:
    from inbox_tui.cli import build_parser

    print(SCRIPTS[args.shell](read_parser(build_parser(every_command=True))), end="")
    return EXIT_OK


@dataclass
class Command:
    """A command as the shell completes it: read from the parser, so completion never drifts from it."""

    flags: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)
    """A flag's fixed values (`--format`: jsonl, csv), or a positional's under ''."""
    help: str = ""


def read_parser(parser: argparse.ArgumentParser) -> dict[str, Command]:
    """The top level (under '') and each command, with their flags and fixed choices."""
    commands = {"": _command(parser)}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                commands[name] = _command(sub)
                commands[name].help = helps.get(name, "")
    return commands


def _command(parser: argparse.ArgumentParser) -> Command:
    command = Command()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        command.flags += [option for option in action.option_strings if option.startswith("--")]
        if action.choices:
            key = action.option_strings[-1] if action.option_strings else ""
            command.choices[key] = [str(choice) for choice in action.choices]
    return command


def bash(commands: dict[str, Command]) -> str:
    names = " ".join(name for name in commands if name)

    def case(key: str, words: list[str]) -> str:
        return f"    {shlex.quote(key)}) words={shlex.quote(' '.join(words))};;\n"

    values = "".join(
        case(f"{name or 'top'}:{flag}", choices)
        for name, command in commands.items()
        for flag, choices in command.choices.items()
        if flag
    )
    flags = "".join(case(name or "top", command.flags) for name, command in commands.items())
    positionals = "".join(
        case(name, command.choices[""])
        for name, command in commands.items()
        if name and "" in command.choices
    )
    return f"""# bash completion for {PROGRAM}, made by `{PROGRAM} completion bash`
_connector_inbox() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} command=top word words=""
  for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
    case " {names} " in *" $word "*) command=$word; break;; esac
  done
  case "$command:$prev" in
{values}    *)
      case "$cur" in
        -*) case "$command" in
{flags}            esac;;
        *) case "$command" in
    top) words="{names}";;
{positionals}            esac;;
      esac;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _connector_inbox {PROGRAM}
"""


def zsh(commands: dict[str, Command]) -> str:
    return f"""#compdef {PROGRAM}
# zsh completion for {PROGRAM}, made by `{PROGRAM} completion zsh`: the bash one, through bashcompinit.
autoload -U +X bashcompinit && bashcompinit
{bash(commands)}"""


def fish(commands: dict[str, Command]) -> str:
    names = " ".join(name for name in commands if name)
    lines = [
        f"# fish completion for {PROGRAM}, made by `{PROGRAM} completion fish`",
        f"complete -c {PROGRAM} -f",
    ]
    for name, command in commands.items():
        if name:
            described = f"-a {shlex.quote(name)} -d {shlex.quote(command.help)}"
            lines.append(f"complete -c {PROGRAM} -n '__fish_use_subcommand' {described}")
        condition = (
            f"__fish_seen_subcommand_from {name}" if name else f"not __fish_seen_subcommand_from {names}"
        )
        for flag in command.flags:
            values = command.choices.get(flag)
            takes = f" -x -a {shlex.quote(' '.join(values))}" if values else ""
            lines.append(f"complete -c {PROGRAM} -n {shlex.quote(condition)} -l {flag[2:]}{takes}")
        if name and "" in command.choices:
            positional = shlex.quote(" ".join(command.choices[""]))
            lines.append(f"complete -c {PROGRAM} -n {shlex.quote(condition)} -a {positional}")
    return "\n".join(lines) + "\n"


SCRIPTS: dict[str, Callable[[dict[str, Command]], str]] = {"bash": bash, "zsh": zsh, "fish": fish}
