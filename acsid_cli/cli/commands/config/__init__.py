"""acsid config set-connection-string|show|delete-connection-string, a module each: the keyring side of credentials."""

from typing import Annotated

import typer

# The profile these commands store to or delete from; other commands read one with options.Profile.
ProfileName = Annotated[
    str, typer.Option("--profile", metavar="NAME", envvar="ACSID_PROFILE", help="Profile name (keyring entry).")
]
