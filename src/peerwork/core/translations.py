"""Translation catalogues, one per app (``<app>/locale``) plus the shared layout (``peerwork/locale``).

Each app owning its catalogue means the parts of Peerwork can grow in parallel without one huge file.
``peerwork translations update`` extracts strings into every catalogue; ``compile`` writes the .mo files;
``check`` lists what is missing. The test suite runs ``missing()`` so an untranslated string fails CI.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
DOMAINS = ("django", "djangojs")


@dataclass(frozen=True)
class Catalogue:
    """A directory whose strings go into ``<directory>/locale``; ``ignore`` keeps app dirs out of the root."""

    directory: Path
    ignore: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.directory.name

    def po(self, language: str) -> Path:
        return self.directory / "locale" / language / "LC_MESSAGES" / "django.po"


def catalogues() -> list[Catalogue]:
    apps = sorted(d for d in PACKAGE_DIR.iterdir() if (d / "apps.py").exists())
    pure = sorted(
        d
        for d in PACKAGE_DIR.iterdir()
        if d.is_dir()
        and not (d / "apps.py").exists()
        and d.name not in {"templates", "static", "locale", "__pycache__"}
    )
    root_ignore = tuple(f"{d.name}/*" for d in [*apps, *pure])
    return [*(Catalogue(d) for d in apps), Catalogue(PACKAGE_DIR, root_ignore)]


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def extract(catalogue: Catalogue, into: Path | None = None) -> None:
    """Run makemessages for one catalogue (into a copy of its directory when ``into`` is given)."""
    directory = catalogue.directory
    if into is not None:
        shutil.copytree(directory, into, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "static"))
        directory = into
    (directory / "locale").mkdir(exist_ok=True)
    with _cwd(directory):
        call_command(
            "makemessages",
            locale=LANGUAGES,
            ignore_patterns=list(catalogue.ignore),
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )


def _chosen(names: list[str] | None) -> list[Catalogue]:
    found = catalogues()
    if names:
        unknown = set(names) - {c.name for c in found}
        if unknown:
            raise ValueError(
                f"No catalogue named {', '.join(sorted(unknown))}; choose from {', '.join(c.name for c in found)}"
            )
        found = [c for c in found if c.name in names]
    return found


def update(names: list[str] | None = None) -> None:
    for catalogue in _chosen(names):
        extract(catalogue)


def compile_all(names: list[str] | None = None) -> None:
    for catalogue in _chosen(names):
        for language in LANGUAGES:
            po_path = catalogue.po(language)
            if po_path.exists():
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def missing() -> list[str]:
    """Every problem that would show a user an English string in nb/da: each as one readable line."""
    problems: list[str] = []
    for catalogue in catalogues():
        with tempfile.TemporaryDirectory() as tmp:
            extract(catalogue, Path(tmp) / catalogue.name)
            fresh_dir = Path(tmp) / catalogue.name
            for language in LANGUAGES:
                fresh = fresh_dir / "locale" / language / "LC_MESSAGES" / "django.po"
                wanted = {e.msgid for e in polib.pofile(str(fresh))} if fresh.exists() else set()
                po_path = catalogue.po(language)
                if not wanted:
                    continue
                if not po_path.exists():
                    problems.append(f"{catalogue.name}/{language}: no catalogue; run `peerwork translations update`")
                    continue
                po = polib.pofile(str(po_path))
                have = {e.msgid: e for e in po if not e.obsolete}
                for msgid in sorted(wanted - set(have)):
                    problems.append(f"{catalogue.name}/{language}: not extracted yet: {msgid!r}")
                for entry in have.values():
                    if entry.msgid in wanted and (not entry.translated() or "fuzzy" in entry.flags):
                        problems.append(f"{catalogue.name}/{language}: untranslated: {entry.msgid!r}")
                mo_path = po_path.with_suffix(".mo")
                if not mo_path.exists():
                    problems.append(f"{catalogue.name}/{language}: not compiled; run `peerwork translations compile`")
                else:
                    compiled = {
                        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                        for e in polib.mofile(str(mo_path))
                    }
                    source = {
                        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                        for e in po.translated_entries()
                    }
                    if compiled != source:
                        problems.append(
                            f"{catalogue.name}/{language}: .mo is older than .po; run `peerwork translations compile`"
                        )
    return problems
