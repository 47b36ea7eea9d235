"""The virtual printer reads bytes on its own: none of its modules imports the product."""

import ast
from pathlib import Path

import tillflow_simulators.escpos

PACKAGE = Path(tillflow_simulators.escpos.__file__).parent


def _imported(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_of_the_printer_imports_tillflow() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 5
    product = {
        f"{module.name}: {name}"
        for module in modules
        for name in _imported(module)
        if name.split(".")[0] == "tillflow"
    }
    assert product == set()
