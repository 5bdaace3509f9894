"""belkg: a source-grounded knowledge graph of Belarus's political prisoners."""

from belkg.errors import BelkgError

__version__ = "0.1.0"

__all__ = ["BelkgError", "__version__"]
