"""`commons reorganise`: the package the command is being split into (see planner.py for now)."""

from __future__ import annotations

from commons.commands.reorganise.planner import DESCRIPTION, HELP, add_arguments, command

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "command"]
