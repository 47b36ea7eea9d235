"""``tillflow simulate printer`` in the foreground: listens, prints, saves PNGs, reports."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import typer
from PIL import Image as Pil
from typer.testing import CliRunner

from tillflow_simulators.escpos.cli import printer
from tillflow_simulators.escpos.profiles import EPSON_58MM
from tillflow_simulators.escpos.render import MARGIN

SCRIPT = "import typer; from tillflow_simulators.escpos.cli import printer; typer.run(printer)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _connect(port: int, process: subprocess.Popen[str]) -> socket.socket:
    deadline = time.monotonic() + 15
    while True:
        assert process.poll() is None, "the printer exited"
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except ConnectionRefusedError:
            assert time.monotonic() < deadline, "the printer did not start listening"
            time.sleep(0.05)


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 15
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} was not saved"
        time.sleep(0.05)


def test_command_prints_with_the_chosen_profile_and_saves_pngs(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "--port", str(port), "--profile", "epson-58mm",
         "--png-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with _connect(port, process) as connection:
            connection.sendall("Crème brûlée\n".encode("cp437") + b"\x1dV\x01")
        _wait_for(tmp_path / "receipt-0001.png")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            # A loaded machine may take seconds to stop it; never leave it running.
            output, _errors = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
    assert f"listening on 127.0.0.1:{port}" in output
    assert "receipt 1: Crème brûlée" in output
    with Pil.open(tmp_path / "receipt-0001.png") as picture:
        assert picture.width == EPSON_58MM.dots + 2 * MARGIN


def test_an_unknown_profile_is_refused_with_the_known_ones() -> None:
    app = typer.Typer()
    app.command()(printer)
    result = CliRunner().invoke(app, ["--profile", "tm-9000"])
    assert result.exit_code == 2
    assert "unknown printer profile 'tm-9000'" in result.output
    assert "generic-58mm" in result.output
