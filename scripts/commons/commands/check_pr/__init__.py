"""`commons check-pr`: what a pull request changes, who must approve it, and its plain-English summary."""

from commons.commands.check_pr.changes import DESCRIPTION, HELP, ROOT_MAY_BE_ANY_CLONE, add_arguments, command

__all__ = ["DESCRIPTION", "HELP", "ROOT_MAY_BE_ANY_CLONE", "add_arguments", "command"]
