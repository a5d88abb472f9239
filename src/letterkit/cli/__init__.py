"""The command line: parse options, call one core function, print, exit. Typer and Rich only.

One module per group of commands: letters.py (compose, batch, send), listings.py (measures, themes,
associations, suggest, ledger), campaign.py (check, init), inbox.py (inbox, inbox add, inbox
done); output.py prints, options.py parses the options they share, completion.py completes
their values on Tab. The core modules are imported inside each command, so that
`letterkit --help` stays instant.

Every string the command line shows is marked for translation (letterkit.i18n): the help of
each option with `_()`, and each command's docstring, which is its --help (`make messages`
extracts the docstrings of cli/'s commands, those with an example block).
"""

import inspect

from letterkit.cli import campaign, inbox, letters, listings, questionnaires
from letterkit.cli.app import Command, app
from letterkit.i18n import _

# Registered here, in the order --help lists them.
for _command in (letters.compose, listings.measures, listings.themes, listings.associations,
                 campaign.check, campaign.init, letters.batch, listings.suggest,
                 questionnaires.questions, letters.send, listings.ledger):
    app.command(cls=Command, help=_(inspect.getdoc(_command) or ""))(_command)
app.add_typer(inbox.app)  # letterkit inbox, inbox add, inbox done

__all__ = ["app"]
