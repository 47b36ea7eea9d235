"""Barcode parsing: EAN/UPC, GS1 element strings and variable-measure (RCN) codes.

Pure and standard-library only. ``parse_scan`` is the one entry point; every failure is
an ``BarcodeError`` (a ``ValueError``).
"""

from tillflow.domain.barcodes.ean_upc import upca_to_upce, upce_to_upca
from tillflow.domain.barcodes.errors import BarcodeError
from tillflow.domain.barcodes.gs1 import AI_TABLE, GS, parse_element_string, parse_hri
from tillflow.domain.barcodes.rcn import DEFAULT_RCN_RULES, RcnRule, price_check_digit
from tillflow.domain.barcodes.scan import ScanResult, Symbology, parse_scan

__all__ = [
    "AI_TABLE",
    "DEFAULT_RCN_RULES",
    "GS",
    "BarcodeError",
    "RcnRule",
    "ScanResult",
    "Symbology",
    "parse_element_string",
    "parse_hri",
    "parse_scan",
    "price_check_digit",
    "upca_to_upce",
    "upce_to_upca",
]
