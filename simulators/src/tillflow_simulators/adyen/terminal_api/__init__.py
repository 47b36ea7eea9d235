"""Adyen's own Terminal API (nexo) models, taken from its official Node library.

``install`` puts the pinned ``@adyen/api-library`` (package.json and its lock file here)
into the simulators' cache and exports the models of its ``lib/src/typings/terminal``
as JSON; ``schema`` checks a message against them. Nothing of the models is copied into
this repository.
"""
