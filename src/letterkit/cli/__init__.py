"""The command line: parse options, call one core function, print, exit. Typer and Rich only.

One module per group of commands: letters.py (compose, batch, send), listings.py (measures, themes,
associations, suggest, ledger), campaign.py (check, init); output.py prints, options.py
parses the options they share. The core modules are imported inside each command, so that
`letterkit --help` stays instant.
"""

from letterkit.cli import campaign, letters, listings, questionnaires
from letterkit.cli.app import app

# Registered here, in the order --help lists them.
for _command in (letters.compose, listings.measures, listings.themes, listings.associations,
                 campaign.check, campaign.init, letters.batch, listings.suggest,
                 questionnaires.questions, letters.send, listings.ledger):
    app.command()(_command)

__all__ = ["app"]
