"""letterkit: compose the formal French letters an election list sends to associations."""

__version__ = "0.1.0"
