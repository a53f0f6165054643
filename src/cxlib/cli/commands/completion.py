from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import complete_with
from cxlib.cli.state import state

NAME = "completion"


def command(
    ctx: typer.Context,
    shell: Annotated[
        str,
        typer.Argument(
            metavar="SHELL", help="bash, zsh or fish.", autocompletion=complete_with("shells")
        ),
    ],
) -> None:
    """Print the script that completes cxlib in your shell.

    Completes commands and options, and from the knowledge base: ids, kinds, statuses, journey
    stages, teams and metrics. Load it in your shell's start-up file:

      bash: eval "$(cxlib completion bash)"          (in ~/.bashrc)

      zsh:  eval "$(cxlib completion zsh)"           (in ~/.zshrc, after compinit)

      fish: cxlib completion fish > ~/.config/fish/completions/cxlib.fish

    Example: cxlib completion bash >> ~/.bash_completion
    """
    from cxlib.cli.completion import SHELLS, script
    from cxlib.errors import UsageError
    from cxlib.model.choices import choice_hint

    wanted = shell.strip().lower()
    if wanted not in SHELLS:
        raise UsageError(f"no completion for the shell {shell!r}", hint=choice_hint(wanted, SHELLS))
    state(ctx).output.stdout.write(script(wanted).strip("\n") + "\n")
