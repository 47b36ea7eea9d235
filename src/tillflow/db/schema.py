"""The whole schema: the core tables and every area's own table module.

Alembic and the schema tests read ``metadata`` from here, so an area's tables must be
imported below to be seen.
"""

from tillflow.db import tables
from tillflow.db.tables import metadata

__all__ = ["metadata", "tables"]
