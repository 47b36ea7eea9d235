"""Where the machine's CPU went, read from /proc (Linux): server, database, everything."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg.rows import TupleRow

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuUsage:
    """CPU seconds used during a window, and database connections opened in it."""

    server: float
    database: float
    machine_busy: float
    machine_total: float
    new_connections: int


@dataclass
class CpuMeter:
    """Follows the server's process tree and the scratch database's backends.

    ``monitor`` is an autocommit connection (one for the whole window, so that the meter's
    own lookups open no backends).

    Backends come and go when the server's pool opens and closes connections, so they
    are polled: one that ends loses only what it used since the last poll, one that
    starts during the window counts whole.
    """

    server_pid: int
    monitor: psycopg.Connection[TupleRow]
    database: str
    _server_start: float = 0.0
    _machine_start: tuple[float, float] = (0.0, 0.0)
    _backend_start: dict[int, float] = field(default_factory=dict)
    _backend_last: dict[int, float] = field(default_factory=dict)

    def start(self) -> None:
        self._server_start = _cpu_seconds(_tree(self.server_pid))
        self._machine_start = machine()
        self._backend_start = {pid: used for pid in self._backends()
                               if (used := _pid_cpu(pid)) is not None}
        self._backend_last = dict(self._backend_start)

    def poll(self) -> None:
        for pid in self._backends():
            used = _pid_cpu(pid)
            if used is not None:
                self._backend_last[pid] = used

    def stop(self) -> CpuUsage:
        self.poll()
        busy, total = machine()
        return CpuUsage(
            server=_cpu_seconds(_tree(self.server_pid)) - self._server_start,
            database=sum(used - self._backend_start.get(pid, 0.0)
                         for pid, used in self._backend_last.items()),
            machine_busy=busy - self._machine_start[0],
            machine_total=total - self._machine_start[1],
            new_connections=len(self._backend_last.keys() - self._backend_start.keys()),
        )

    def _backends(self) -> list[int]:
        # The monitor is in autocommit: a transaction would see one frozen snapshot.
        rows = self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (self.database,),
        ).fetchall()
        return [int(row[0]) for row in rows]


def machine() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine (all cores) since boot."""
    cpu = _read(PROC / "stat").splitlines()[0].split()[1:]
    values = [int(v) for v in cpu[:8]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICKS, sum(values) / TICKS


def _tree(root: int) -> list[int]:
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        for children in PROC.glob(f"{pid}/task/*/children"):
            pending.extend(int(child) for child in _read(children).split())
    return found


def _cpu_seconds(pids: Iterable[int]) -> float:
    return sum(used for pid in pids if (used := _pid_cpu(pid)) is not None)


def _pid_cpu(pid: int) -> float | None:
    """User and system CPU seconds of a process, None once it has ended."""
    stat = _read(PROC / str(pid) / "stat")
    if not stat:
        return None
    # Fields after the command name, which may itself hold spaces and brackets.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:  # the process ended between listing and reading
        return ""
