"""Retail hardware: printer transports (network, USB, serial, file, CUPS), the cash drawer,
serial scanners and the local device agent of each register."""
