"""guichet: the reception desk tool of the CAF agencies."""

__version__ = "0.1.0"
