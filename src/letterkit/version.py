"""letterkit's version: read by the packaging, `--version` and bug reports."""

__version__ = "0.1.0"
