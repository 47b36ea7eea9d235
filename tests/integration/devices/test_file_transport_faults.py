"""A device that cannot take the bytes is a failed job, never a printed one."""

from pathlib import Path

import pytest

from tillflow.devices.transports import FileTransport, PrinterUnavailableError, send


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_device_fails_the_job() -> None:
    with pytest.raises(PrinterUnavailableError, match="No space left"):
        send(FileTransport(path="/dev/full"), b"\x1b@receipt\n")


def test_a_writable_device_gets_the_bytes(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    send(FileTransport(path=str(device)), b"\x1b@receipt\n")
    assert device.read_bytes() == b"\x1b@receipt\n"
