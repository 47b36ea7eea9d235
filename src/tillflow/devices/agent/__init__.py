"""The device agent: a local HTTP service owning one register's printer, drawer and scanner."""
