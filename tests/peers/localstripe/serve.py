"""Serve localstripe on 127.0.0.1 with its disk persistence off.

Run with the peer's own interpreter (``.peers/localstripe/bin/python serve.py --port 0``).
Its stock command binds every interface and shares one pickle file in the temp folder
between instances, which would let parallel runs see each other's data; here the store
lives in memory only. The bound port is printed as ``PORT <n>``.
"""

import argparse
import socket

from aiohttp import web  # type: ignore[import-not-found]
from localstripe import resources, server  # type: ignore[import-not-found]


def _no_disk(_store: object) -> None:
    """Keep the store in memory only."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    resources.Store.dump_to_disk = _no_disk
    resources.Store.try_load_from_disk = _no_disk
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", args.port))

    # The port is known once bound; callers poll until the server answers.
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    web.run_app(server.app, sock=sock, access_log=None, print=None)


if __name__ == "__main__":
    main()
