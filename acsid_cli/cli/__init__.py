"""The acsid command line: the app and its error boundary, options, input checks, output, and the commands."""

import sys


def main() -> None:
    """The acsid command. `acsid --version` is answered before the app loads: scripts ask it often."""
    if sys.argv[1:] == ["--version"]:
        from acsid_cli import __version__
        from acsid_cli.cli.output import Output

        Output().line(f"acsid {__version__}")
        return
    from acsid_cli.cli.app import app

    app()
