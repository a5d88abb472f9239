"""The command line: parse options, call one core function, print, exit. Typer and Rich only.

One module per group of commands: letters.py (compose, batch, send), listings.py (measures, themes,
associations, suggest, ledger), campaign.py (check, init), inbox.py (inbox, inbox add, inbox
done); output.py prints, options.py parses the options they share, completion.py completes
their values on Tab. The core modules are imported inside each command, so that
`letterkit --help` stays instant.

Every string the command line shows is marked for translation (letterkit.i18n): the help of
each option with `_()`, and each command's docstring, which is its --help (`make messages`
extracts the docstrings of cli/'s commands, those with an example block). Each command also
has a short help, a whole sentence of at most 45 characters in either language, which
`letterkit --help` lists (Click would otherwise cut the docstring's first sentence short).
"""

import inspect

from letterkit.cli import campaign, inbox, letters, listings, questionnaires
from letterkit.cli.app import Command, app
from letterkit.i18n import _

# Registered here, in the order --help lists them, each with its short help.
for _command, _short_help in (
        (letters.compose, _("Write the letter to one association.")),
        (listings.measures, _("List the program's measures.")),
        (listings.themes, _("List the themes and their measures.")),
        (listings.associations, _("List the associations.")),
        (campaign.check, _("Check the data files and templates.")),
        (campaign.init, _("Create a campaign folder.")),
        (letters.batch, _("Compose several letters at once.")),
        (listings.suggest, _("Suggest themes for a document.")),
        (questionnaires.questions, _("Draft the answers to a questionnaire.")),
        (letters.send, _("Send letters by e-mail.")),
        (listings.ledger, _("Look up the ledger of letters sent."))):
    app.command(cls=Command, help=_(inspect.getdoc(_command) or ""),
                short_help=_short_help)(_command)
app.add_typer(inbox.app)  # letterkit inbox, inbox add, inbox done

__all__ = ["app"]
