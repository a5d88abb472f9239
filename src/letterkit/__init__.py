"""letterkit: compose the formal French letters an election list sends to associations."""

__version__ = "0.1.0"


def _without_pydantic_plugins() -> None:
    """letterkit uses no pydantic plugin. pydantic still imports its plugin loader, and with it
    importlib.metadata (about 30 ms, a sixth of a listing command's start), the first time it
    builds a validator: with plugins disabled, a loader that returns none stands in for it.
    Anything else asked of the loader loads the real one."""
    import os
    import sys
    import types

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    name = "pydantic.plugin._loader"
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in ("__all__", "1", "true") or (
            name in sys.modules):
        return
    loader = types.ModuleType(name)

    def get_plugins() -> tuple[()]:
        return ()

    def real(attribute: str) -> object:
        if attribute.startswith("__"):  # what the import system asks of any module
            raise AttributeError(attribute)
        import importlib

        sys.modules.pop(name, None)
        return getattr(importlib.import_module(name), attribute)

    loader.get_plugins = get_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[name] = loader


_without_pydantic_plugins()


def main() -> None:
    """The `letterkit` command. For `compose`, the process that will lay out the PDF is forked
    first, so that it loads WeasyPrint while this one loads the command line and the letter."""
    import sys

    if sys.argv[1:2] == ["compose"] and "--preview" not in sys.argv:
        from letterkit import pdfworker

        pdfworker.prestart()
    from letterkit.cli import app

    app()
