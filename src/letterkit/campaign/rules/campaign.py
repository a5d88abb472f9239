"""The rules of campaign.yaml that its model cannot express."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from letterkit.campaign.models import Campaign
from letterkit.campaign.vocabulary import valid_address
from letterkit.campaign.yamlfile import KeyPath, Source
from letterkit.errors import Problem
from letterkit.i18n import _

IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")


def images_in_folder(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    """The images the campaign names: inside the campaign folder, present, PNG, JPEG or SVG."""
    problems = []
    images: list[tuple[KeyPath, str | None]] = [
        (("letterhead", "logo"), campaign.letterhead.logo if campaign.letterhead else None),
        (("signature_image",), campaign.signature_image),
    ]
    for path, value in images:
        if value is None:
            continue
        file = (root / value).resolve()
        if not file.is_relative_to(root.resolve()):
            message, hint = (_("« {path} » is outside the campaign folder").format(path=value),
                             _("put the image in the campaign folder and give its relative "
                               "path"))
        elif not file.is_file():
            message, hint = (_("no image at « {path} »").format(path=value),
                             _("give the path from the campaign folder, e.g. assets/logo.png"))
        elif file.suffix.lower() not in IMAGE_SUFFIXES:
            message, hint = (_("« {path} » is not a PNG, JPEG or SVG image").format(path=value),
                             _("convert it to PNG or SVG"))
        else:
            continue
        problems.append(source.problem(message, path, hint))
    return problems


def enclosure_files(enclosures: list[Any] | None, source: Source, root: Path,
                    path: KeyPath = ("enclosures",)) -> list[Problem]:
    """The files of `enclosures` (those the e-mail attaches), in campaign.yaml or an
    association's entry: inside the campaign folder, present."""
    problems = []
    for i, enclosure in enumerate(enclosures or []):
        value = getattr(enclosure, "file", None)
        if value is None:
            continue
        file = (root / value).resolve()
        if file.is_relative_to(root.resolve()) and file.is_file():
            continue
        problems.append(source.problem(
            _("no file at « {path} » in the campaign folder").format(path=value),
            (*path, i, "file"),
            _("give the path from the campaign folder, e.g. pieces/fiche-accessibilite.pdf")))
    return problems


def association_enclosure_files(associations: list[Any], source: Source, root: Path
                                ) -> list[Problem]:
    return [problem for i, association in enumerate(associations)
            for problem in enclosure_files(association.enclosures, source, root,
                                           ("associations", i, "enclosures"))]


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def smtp_usable(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    """The smtp block names a sender address, and where the password is, never the password."""
    smtp = campaign.smtp
    if smtp is None:
        return []
    problems = []
    if not valid_address(smtp.sender):
        problems.append(source.problem(
            _("« {address} » is not an e-mail address").format(address=smtp.sender),
            ("smtp", "from"), _("write it « Liste <contact@domaine.fr> » or contact@domaine.fr")))
    if smtp.password_env is not None and not _ENV_NAME.fullmatch(smtp.password_env):
        problems.append(source.problem(
            _("password_env names the environment variable that holds the password, not the "
              "password itself"), ("smtp", "password_env"),
            _("write a variable name such as LK_SMTP, and remove the password from this file")))
    if smtp.username and not smtp.password_env:
        problems.append(source.problem(
            _("a username needs a password, and no password_env says where it is"), ("smtp",),
            _("add « password_env: LK_SMTP » and export LK_SMTP before letterkit send")))
    if smtp.username and smtp.security == "none" and not smtp.allow_plain_auth:
        problems.append(source.problem(
            _("security: none with a username would send the password in clear"),
            ("smtp", "security"), _("use security: starttls or ssl; if the server can only be "
                                   "reached in clear (on this machine), add « allow_plain_auth: "
                                   "true » to the smtp block")))
    return problems


# `{name}` in a formula: only `closing` has a placeholder, {salutation}.
PLACEHOLDER = re.compile(r"\{[^{}\n]{0,40}\}")
PLACEHOLDERS: dict[tuple[str, ...], set[str]] = {("closing",): {"{salutation}"},
                                                ("associations", "closing"): {"{salutation}"}}


def placeholders_known(data: Any, source: Source, path: KeyPath = ()) -> list[Problem]:
    """Every `{…}` in the file's text is a placeholder its key fills in: a misspelt one
    (`{Salutation}`) would be printed as is."""
    if isinstance(data, dict):
        return [p for key, value in data.items()
                for p in placeholders_known(value, source, path + (str(key),))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data)
                for p in placeholders_known(value, source, path + (index,))]
    if not isinstance(data, str):
        return []
    known = PLACEHOLDERS.get(tuple(k for k in path if isinstance(k, str)), set())
    unknown = [m.group(0) for m in PLACEHOLDER.finditer(data) if m.group(0) not in known]
    if not unknown:
        return []
    hint = (_("the only placeholder here is {placeholders} (write it exactly, in lower "
              "case)").format(placeholders=", ".join(sorted(known))) if known
            else _("no placeholder is filled in here; {placeholder} works in closing only "
                   "(write it exactly, in lower case)").format(placeholder="{salutation}"))
    return [source.problem(_("unknown placeholder {placeholder}").format(placeholder=found),
                           path, hint) for found in unknown]


LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"


def fields_on_one_line(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    """The list's name (in every title and Subject) and the smtp block's host and username
    are one line each."""
    smtp = campaign.smtp
    fields: list[tuple[KeyPath, str | None]] = [
        (("list_name",), campaign.list_name), (("smtp", "host"), smtp.host if smtp else None),
        (("smtp", "username"), smtp.username if smtp else None)]
    return [source.problem(
        _("{key} holds a line break: it must be one line (it goes into the letter's title "
          "and the e-mail's headers)").format(key=path[-1]), path,
        _("write it on one line, without « \\n » and without a « | » block"))
        for path, value in fields if value and any(c in value for c in LINE_BREAKS)]


def check_campaign(campaign: Campaign, source: Source, root: Path) -> list[Problem]:
    return (images_in_folder(campaign, source, root) + placeholders_known(source.data, source)
            + smtp_usable(campaign, source, root) + fields_on_one_line(campaign, source, root)
            + enclosure_files(campaign.enclosures, source, root))
