"""Reading HSDS files as they arrive: a JSON file, paginated list files, a data package folder,
or the same uploaded (a .json file or a .zip of a data package or of list pages)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from peerpath.core.imports import decode, max_bytes

from . import hsds


def _too_big(name: str) -> hsds.Problem:
    """`name` is the file's; "" for several files together."""
    mb = max_bytes() // (1024 * 1024)
    if not name:
        message = _(
            "These files together are larger than %(mb)s MB, the most an import takes "
            "(IMPORT_MAX_MB)."
        )
    else:
        message = _("This file is larger than %(mb)s MB, the most an import takes (IMPORT_MAX_MB).")
    return hsds.Problem(name, "", "", message % {"mb": mb})


def read_files(files: dict[str, bytes]) -> hsds.Dataset:
    """Files by name: CSVs (and datapackage.json) make a data package; otherwise each JSON
    file is read, and list pages that cover every page make a whole directory."""
    dataset = hsds.Dataset()
    total = sum(len(data) for data in files.values())
    if total > max_bytes():
        dataset.problems.append(_too_big(next(iter(files)) if len(files) == 1 else ""))
        return dataset
    texts = {name: decode(data) for name, data in files.items()}
    if any(name.endswith(".csv") for name in texts):
        hsds.read_datapackage(dataset, texts)
        return dataset
    pages: dict[int, int] = {}
    for name in sorted(texts):
        if not name.endswith(".json"):
            dataset.problems.append(
                hsds.Problem(name, "", "", _("Only .json and .csv files can be read."))
            )
            continue
        paging = hsds.read_json(dataset, texts[name], name)
        if paging.get("page_number") is not None and paging.get("total_pages") is not None:
            pages[int(paging["page_number"])] = int(paging["total_pages"])
    # Every page of one list, from the first to the last: the provider's whole directory.
    if pages and len(set(pages.values())) == 1:
        total_pages = next(iter(pages.values()))
        first = min(pages)
        dataset.complete = sorted(pages) == list(range(first, first + total_pages))
    return dataset


def read_path(path: Path) -> hsds.Dataset:
    """A JSON file, or a folder holding a data package or list pages."""
    if path.is_dir():
        candidates = sorted(p for p in path.iterdir() if p.suffix in (".csv", ".json"))
        if any(p.suffix == ".csv" for p in candidates):
            candidates = [
                p for p in candidates if p.suffix == ".csv" or p.name == "datapackage.json"
            ]
        size = sum(p.stat().st_size for p in candidates)
        if size > max_bytes():
            dataset = hsds.Dataset()
            dataset.problems.append(_too_big(str(path)))
            return dataset
        return read_files({p.name: p.read_bytes() for p in candidates})
    if path.stat().st_size > max_bytes():
        dataset = hsds.Dataset()
        dataset.problems.append(_too_big(path.name))
        return dataset
    if path.suffix == ".zip":
        return read_upload(path.name, path.read_bytes())
    return read_files({path.name: path.read_bytes()})


def read_upload(name: str, data: bytes) -> hsds.Dataset:
    """An uploaded .json file, or a .zip of a data package or of list pages."""
    if len(data) > max_bytes():
        dataset = hsds.Dataset()
        dataset.problems.append(_too_big(name))
        return dataset
    if not name.lower().endswith(".zip"):
        return read_files({name: data})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and PurePosixPath(info.filename).suffix in (".csv", ".json")
        ]
        if sum(info.file_size for info in members) > max_bytes():
            dataset = hsds.Dataset()
            dataset.problems.append(_too_big(name))
            return dataset
        files = {PurePosixPath(info.filename).name: archive.read(info) for info in members}
    except zipfile.BadZipFile:
        dataset = hsds.Dataset()
        dataset.problems.append(hsds.Problem(name, "", "", _("This is not a .zip file.")))
        return dataset
    return read_files(files)
