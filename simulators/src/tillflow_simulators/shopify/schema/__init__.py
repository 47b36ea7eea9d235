"""Shopify's own GraphQL Admin API schemas, from the npm package pinned beside this module."""

from tillflow_simulators.shopify.schema.install import SchemaUnavailable, schema_folder
from tillflow_simulators.shopify.schema.load import (
    UnknownVersion,
    access_rules,
    api_versions,
    load_schema,
)
from tillflow_simulators.shopify.schema.versions import served_version

__all__ = [
    "SchemaUnavailable",
    "UnknownVersion",
    "access_rules",
    "api_versions",
    "load_schema",
    "schema_folder",
    "served_version",
]
