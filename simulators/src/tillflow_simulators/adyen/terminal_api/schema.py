"""Check a Terminal API message against Adyen's official models: every field name, its
type, enum values and required fields.

A problem is reported as Adyen's cloud reports an invalid request: ``At PATH, field NAME:
Missing`` (or ``Unexpected``, ``Invalid value``), PATH being the dotted way down from
``SaleToPOIRequest``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from tillflow_simulators.adyen.terminal_api.install import models_path

_ARRAY = re.compile(r"Array<(.+)>")
_ANY = frozenset({"any", "object", "{ [key: string]: any; }"})


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    field: str
    what: str

    def __str__(self) -> str:
        return f"At {self.path}, field {self.field}: {self.what}"


@dataclass(frozen=True)
class TerminalApiModels:
    version: str
    classes: dict[str, dict[str, dict[str, Any]]]
    enums: dict[str, frozenset[str]]

    def problems(self, document: Any, *, root: str) -> list[Problem]:
        """What in ``{root: {...}}`` does not fit the model of ``root``."""
        if not isinstance(document, dict) or root not in document:
            return [Problem("toplevel", root, "Missing")]
        found: list[Problem] = []
        self._object(document[root], root, root, found)
        return found

    def values(self, enum: str) -> frozenset[str]:
        return self.enums[enum]

    def _object(self, value: Any, kind: str, path: str, found: list[Problem]) -> None:
        fields = self.classes[kind]
        for name in value:
            if name not in fields:
                found.append(Problem(path, name, "Unexpected"))
        for name, spec in fields.items():
            if name not in value:
                if spec["required"]:
                    found.append(Problem(path, name, "Missing"))
                continue
            if spec["orString"] and isinstance(value[name], str):
                continue
            if not self._fits(value[name], spec["type"], f"{path}.{name}", found):
                found.append(Problem(path, name, "Invalid value"))

    def _fits(self, value: Any, kind: str, path: str, found: list[Problem]) -> bool:
        """Whether ``value`` has the type ``kind``; nested objects report their own."""
        array = _ARRAY.fullmatch(kind)
        if array is not None:
            return isinstance(value, list) and all(
                self._fits(item, array.group(1), path, found) for item in value)
        if kind in _ANY:
            return True
        if kind == "string":
            return isinstance(value, str)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind == "number":
            return isinstance(value, int | Decimal | float) and not isinstance(value, bool)
        if kind == "{ [key: string]: string; }":
            return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        if kind in self.enums:
            return isinstance(value, str) and value in self.enums[kind]
        if kind in self.classes:
            if not isinstance(value, dict):
                return False
            self._object(value, kind, path, found)
            return True
        raise KeyError(f"the models name no type {kind!r}")


@cache
def official_models() -> TerminalApiModels:
    """The models of the pinned official package (installed on first use)."""
    exported = json.loads(models_path().read_text())
    return TerminalApiModels(
        version=f"{exported['package']}@{exported['version']}",
        classes=exported["classes"],
        enums={name: frozenset(values) for name, values in exported["enums"].items()})
