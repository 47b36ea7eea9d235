"""The schemas' cache: keyed by the pinned package version, filled from a tarball that
must match the lock file's integrity, holding only the Admin API schemas."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from tillflow_simulators.shopify.schema import SchemaUnavailable, install


def _tarball(folder: Path) -> Path:
    path = folder / "shopify-dev-mcp.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, content in (("package/dist/data/admin_2026-10.json.gz", gzip.compress(b"{}")),
                              ("package/dist/data/storefront_2026-10.json.gz", b"x"),
                              ("package/dist/data/types/admin_x.json.gz", b"x"),
                              ("package/dist/index.js", b"x")):
            member = tarfile.TarInfo(name)
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))
    return path


def test_the_tarball_must_match_the_pinned_integrity(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path)
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    install._check_integrity(tarball, install.Pin("1.0.0", f"sha512-{digest}"))
    with pytest.raises(SchemaUnavailable, match="integrity"):
        install._check_integrity(tarball, install.Pin("1.0.0", "sha512-" + "A" * 88))


def test_only_the_admin_schemas_are_kept(tmp_path: Path) -> None:
    staging = tmp_path / "schemas"
    install._extract_schemas(_tarball(tmp_path), staging)
    assert sorted(p.name for p in staging.iterdir()) == ["admin_2026-10.json.gz"]


def test_a_filled_cache_is_used_without_npm(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PATH", "")  # no npm to be found
    pin = install.pinned()
    folder = tmp_path / "tillflow-simulators" / f"shopify-dev-mcp-{pin.version}"
    folder.mkdir(parents=True)
    (folder / install.COMPLETE).write_text("done")
    assert install.schema_folder() == folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty"))
    with pytest.raises(SchemaUnavailable, match="npm"):
        install.schema_folder()
