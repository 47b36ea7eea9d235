"""Helpers shared by tillflow's tests."""
