"""Child processes that end with their parent."""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int, sig: int = signal.SIGTERM) -> None:
    """In a child process: receive `sig` when the parent dies (Linux), and exit if it is
    already gone. Elsewhere the pipe to the parent closing is what ends the child."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
