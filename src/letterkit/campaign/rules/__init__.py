"""The validation rules of a campaign folder, one small function per rule.

They run in two phases: first the types (each file against its model, types.py), then, on
the files whose types are right, the cross-references a schema cannot express, one module per
data file (campaign.py, program.py, associations.py). Each rule returns the problems it
finds, located by file, line and key; none raises. A new rule goes in the module of its file,
in the tuple of rules its runner applies.
"""

from letterkit.campaign.rules.associations import check_associations
from letterkit.campaign.rules.campaign import check_campaign, placeholders_known
from letterkit.campaign.rules.program import check_program
from letterkit.campaign.rules.types import partial_model, to_model

__all__ = ["check_associations", "check_campaign", "check_program", "partial_model",
           "placeholders_known", "to_model"]
