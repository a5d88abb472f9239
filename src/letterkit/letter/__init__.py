"""The letter itself: measures selected for a request (select), the template context (context),
the Jinja blocks rendered to Markdown and HTML (render, blockhtml), French grammar (french)
and typography (typography, plainprose).

May import: the base modules and campaign.
"""
