"""WooCommerce's own description of the REST routes the simulator serves.

``wc-v3.json`` is what WooCommerce 10.0.2 on WordPress 6.8.8 answers to OPTIONS for each
of those routes (its methods, each method's arguments with their types, enums and
defaults, and the schema of the records it returns), captured from a real shop by
``tests/peers/woocommerce/capture_schema.py``. The simulator checks the arguments it is
sent against it, as WordPress does, and answers the namespace index and OPTIONS from it.
"""
