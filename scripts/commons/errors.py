"""Exit codes, and the one exception type for problems a person can fix.

Domain code raises `CommonsError(message, hint)`; only `cli.main` prints it (as sqlite-utils turns its
errors into `click.ClickException` in its CLI and nowhere else). Problems with content files are not
exceptions: they are `content.problems.Problem` values, reported all at once.
"""

from __future__ import annotations

EXIT_OK = 0  # clean, or warnings only
EXIT_PROBLEMS = 1  # content problems, or the request cannot be done with this content
EXIT_USAGE = 2  # the command was given wrongly
EXIT_NEEDS_APPROVAL = 3  # check-pr: valid, but a council's (or the commons') maintainers must approve


class CommonsError(Exception):
    """A request that cannot be done, said for a person: what is wrong and, in `hint`, what to do.

    `details` is printed before the message, on standard output (the validator's list of problems when a
    build stops); `exit_code` is what the command returns.
    """

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str, hint: str = "", *, details: str = "", exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(CommonsError):
    """The command line itself is wrong (a missing option, a path outside the repository); exit 2."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str = "", *, help_for: str = ""):
        super().__init__(message, hint)
        self.help_for = help_for  # the subcommand whose --help to point at ("" for `commons --help`)
