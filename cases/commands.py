"""A base for management commands used from scripts: French messages on standard error and
exit status 2 for every mistake a user can make, including those argparse detects itself
(its own messages are English)."""

from __future__ import annotations

import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def usage_error(message: str, usage: str = "") -> CommandError:
    """A user's mistake: its French message (and the usage line), exit status 2."""
    return CommandError(f"{message}\n{usage}" if usage else message, returncode=2)


class FrenchCommand(BaseCommand):
    usage = ""  # one line, shown under each error

    def usage_error(self, message: str) -> CommandError:
        return usage_error(message, self.usage)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = self.parser_error  # type: ignore[method-assign]
        return parser

    def parser_error(self, message: str) -> None:
        if match := re.match(r"unrecognized arguments: (.*)", message):
            detail = f"Argument(s) non reconnu(s) : {match.group(1)}."
        elif match := re.match(r"argument (\S+?)(?:/\S+)?: expected one argument", message):
            detail = f"L'option {match.group(1)} attend une valeur."
        elif match := re.match(r"the following arguments are required: (.*)", message):
            detail = f"Argument(s) manquant(s) : {match.group(1)}."
        else:
            detail = "Arguments invalides."
        error = self.usage_error(detail)
        if getattr(self, "_called_from_command_line", False):
            # Django parses the command line outside the try that reports CommandError.
            self.exit_with(error)
        raise error

    def exit_with(self, error: CommandError) -> None:
        """Report `error` the way a user should read it: its French message alone (Django
        would prefix it with "CommandError: "), then exit with its status."""
        self.stderr.write(f"Erreur : {error}")
        sys.exit(error.returncode)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            # From call_command (or with --traceback), let the caller handle it.
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.exit_with(error)
