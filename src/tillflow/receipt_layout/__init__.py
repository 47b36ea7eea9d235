"""How a receipt looks on paper: its data, its layout for a printer profile, ESC/POS bytes
and a PNG preview. Pure: used by the server and by each register's device agent."""
