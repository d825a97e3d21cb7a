"""The data files (``agencies.toml``, ``services.toml``, ``social_work.toml``) → frozen domain objects.

Each file is looked up first in the override directory (``--data DIR``, else the user config
directory), then among the files shipped in the package. Any mistake raises one
:class:`DataError` naming the file, the line and the key. ``loader`` reads and validates the
files; ``cache`` keeps the validated catalog between runs.
"""

from __future__ import annotations

from pathlib import Path

from guichet.catalog.cache import cache_key, read_cache, write_cache
from guichet.catalog.loader import (
    BENEFITS,
    CATEGORIES,
    DataFile,
    load_agencies,
    load_services,
    resolve,
)
from guichet.catalog.perimeter import load_perimeter
from guichet.domain.models import Catalog
from guichet.tomlcheck import DataError

__all__ = ["BENEFITS", "CATEGORIES", "DataError", "DataFile", "load_agencies", "load_catalog", "load_perimeter",
           "load_services", "resolve"]


def load_catalog(override_dir: Path | None = None, *, must_exist: bool = False,
                 cache_dir: Path | None = None) -> Catalog:
    """Load every data file, the user's overrides first; raises :class:`DataError`.

    ``must_exist``: the override directory was named explicitly (``--data DIR``), so a missing
    directory is an error rather than a silent fall-back to the shipped files. ``cache_dir``: where
    the validated catalog is kept between runs (see "The cache" below); None reads the files.
    """
    if must_exist and override_dir is not None and not override_dir.is_dir():
        raise DataError(str(override_dir), None, "", "data directory not found")
    agencies_file = resolve("agencies.toml", override_dir)
    services_file = resolve("services.toml", override_dir)
    perimeter_file = resolve("social_work.toml", override_dir)
    key = cache_key(agencies_file, services_file, perimeter_file) if cache_dir is not None else ""
    cached = cache_dir / f"catalog-{key}.marshal" if cache_dir is not None else None
    if cached is not None:
        found = read_cache(cached, key)
        if found is not None:
            return found
    catalog = Catalog(
        agencies=load_agencies(agencies_file),
        services=load_services(services_file),
        sources=(agencies_file.name, services_file.name, perimeter_file.name),
        perimeter=load_perimeter(perimeter_file),
    )
    if cached is not None:
        write_cache(cached, key, catalog)
    return catalog
