"""Pieces shared by the simulators: a background server, webhook delivery with retries and
faults, API faults and rate limiting, and a recording webhook receiver."""
