"""What every ``tillflow`` subcommand shares: its consoles, its errors and its store.

Subcommand modules import the rest of tillflow inside their commands, not at the top:
``tillflow --help`` then loads typer and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from tillflow.services.context import Actor, ServiceContext
    from tillflow.settings import Settings

def command_group(help: str, **options: Any) -> typer.Typer:
    """The command or group of commands of one area. Help is Click's plain text: typer's
    rich help alone costs more than the 0.3 s of CPU ``tillflow --help`` may take."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None,
                       pretty_exceptions_enable=False, **options)


class LazyConsole:
    """A rich console made when something is first printed: loading rich would double
    what ``tillflow --help`` costs."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr

    @cached_property
    def rich(self) -> Console:
        from rich.console import Console

        return Console(stderr=self._stderr)

    def print(self, *objects: Any, **options: Any) -> None:
        self.rich.print(*objects, **options)


console = LazyConsole()
errors = LazyConsole(stderr=True)


def fail(message: str, *, code: int = 1) -> NoReturn:
    # One line however narrow the terminal: scripts read it, people copy it.
    errors.print(f"[red]error:[/red] {' '.join(message.split())}", highlight=False,
                 soft_wrap=True)
    raise typer.Exit(code=code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """A refused command prints its reason and exits 1, never a traceback."""
    from tillflow.db.setup import NotInitialised
    from tillflow.domain.errors import DomainError

    try:
        yield
    except DomainError as exc:
        fail(exc.message)
    except NotInitialised as exc:
        fail(str(exc))


def free_text(value: str | None) -> str | None:
    """An option's callback for text people type (names, addresses): tillflow never
    stores a card number, so one is refused before the command runs."""
    from tillflow.domain.card_data import contains_card_number

    if value and contains_card_number(value):
        raise typer.BadParameter("holds a card number; tillflow never stores card data")
    if value and "\x00" in value:
        raise typer.BadParameter("holds a NUL character")
    return value


def settings() -> Settings:
    from tillflow.settings import Settings

    return Settings.from_env()


@contextmanager
def store() -> Iterator[ServiceContext]:
    """The store of ``TILLFLOW_HOME`` / ``TILLFLOW_DATABASE_URL`` for one command."""
    from tillflow.bootstrap import open_context

    with reported_errors(), open_context(settings()) as ctx:
        yield ctx


def operator() -> Actor:
    """Whoever runs the command: an admin, named after their login in the audit trail."""
    import getpass

    from tillflow.services.context import Actor

    return Actor(name=f"cli:{getpass.getuser()}", role="admin")
