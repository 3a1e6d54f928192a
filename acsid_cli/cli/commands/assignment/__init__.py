"""acsid assignment teams-extension|entra: who may exchange their own Entra token for an ACS identity."""

from acsid_cli.cli.commands.assignment import entra, teams_extension
from acsid_cli.cli.options import group

app = group("Assignments: who may exchange their Entra token for an ACS identity, as a Teams Extension or "
            "Entra ID user.")
app.add_typer(teams_extension.app, name="teams-extension")
app.add_typer(entra.app, name="entra")
