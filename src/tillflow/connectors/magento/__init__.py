"""Magento Open Source / Adobe Commerce over its REST API (``/rest/<store>/V1``)."""
