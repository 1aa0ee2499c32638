"""One module or package per `commons` subcommand. Each turns its parsed arguments into a call of plain
functions that tests can call without argparse, and raises `errors.CommonsError` for a person to read."""
