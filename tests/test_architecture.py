"""The rules of docs/architecture.md, checked on the source itself.

Each test names the rule it enforces and, when it fails, says where the rule was broken and how to fix it.
Imports are read with ``ast`` (nothing is imported), so a test fails on the line that breaks a rule even when
that line would only run later. Imports inside ``if TYPE_CHECKING:`` are left out: they exist for the type
checker only and create no dependency at run time.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "peerwork"
TESTS = ROOT / "tests"

# The layers, lowest first. An app may import apps of LOWER layers only; apps of one layer stay apart.
# Keep this table and the one in docs/architecture.md the same (test_the_documented_layers_are_these).
LAYERS: dict[str, int] = {
    "core": 0,
    "matching": 0,
    "formats": 0,
    "qda": 0,
    "audit": 1,
    "organisations": 2,
    "accounts": 3,
    "service": 4,
    "readiness": 5,
    "cocreation": 5,
    "activities": 5,
    "privacy": 6,
    "evaluation": 7,
    "notifications": 7,
    "coassessment": 8,
    "api": 9,
    "demo": 9,
    # the project's own modules, which put everything together
    "settings": 10,
    "urls": 10,
    "wsgi": 10,
    "cli": 10,
    "__init__": 10,
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str
    in_function: bool

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def source_files(root: Path = SRC) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def app_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def package_of(path: Path) -> str:
    dotted = ".".join(("peerwork", *path.relative_to(SRC).with_suffix("").parts))
    return dotted.removesuffix(".__init__") if path.name == "__init__.py" else dotted.rsplit(".", 1)[0]


def imports_of(path: Path, package: str | None = None, *, only_peerwork: bool = True) -> list[Import]:
    """Every run-time import in a file (relative imports resolved): of ``peerwork`` modules only, unless
    ``only_peerwork`` is False."""
    package = package or package_of(path)
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            names: list[str] = []
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    names = [".".join(base + ([child.module] if child.module else []))]
                elif child.module:
                    names = [child.module]
            elif isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            for name in names:
                if not only_peerwork or name == "peerwork" or name.startswith("peerwork."):
                    found.append(Import(path, child.lineno, name, in_function))
            visit(child, nested)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def target_app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in source_files():
        app = app_of(path)
        for imp in imports_of(path):
            target = target_app(imp.module)
            if target and target != app:
                graph.setdefault(app, set()).add(target)
    return graph


def test_every_app_has_a_layer():
    apps_in_src = {app_of(p) for p in source_files()}
    missing = sorted(apps_in_src - set(LAYERS))
    assert not missing, f"Give these parts a layer in LAYERS (and in docs/architecture.md): {missing}"


def test_apps_import_only_lower_layers():
    broken = []
    for path in source_files():
        app = app_of(path)
        for imp in imports_of(path):
            target = target_app(imp.module)
            if target is None or target == app:
                continue
            if LAYERS[target] >= LAYERS[app]:
                broken.append(f"{imp.where}: {app} (layer {LAYERS[app]}) imports {imp.module} (layer {LAYERS[target]})")
    assert not broken, (
        "An app may import only apps of lower layers (docs/architecture.md, 'Layers'). Move the shared piece "
        "down, or let the lower app offer an extension point in peerwork.core.hooks:\n" + "\n".join(broken)
    )


def test_no_cycles_between_apps():
    graph = app_graph()
    cycles = []

    def walk(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif len(trail) < len(LAYERS):
                walk(nxt, [*trail, nxt])

    for start in sorted(graph):
        walk(start, [start])
    assert not cycles, "Import cycles between apps:\n" + "\n".join(sorted(set(cycles)))


def test_the_import_reader_sees_relative_nested_and_type_only_imports(tmp_path):
    """The checks above read real imports: relative ones resolve, nested ones are marked, type-only ones
    are left out."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "from ..service.models import Referral\n"
        "from . import trail\n"
        "if TYPE_CHECKING:\n"
        "    from peerwork.privacy.models import Consent\n"
        "def f():\n"
        "    from peerwork.evaluation import figures\n",
        encoding="utf-8",
    )
    found = [(imp.module, imp.in_function) for imp in imports_of(probe, package="peerwork.audit")]
    assert found == [("peerwork.service.models", False), ("peerwork.audit", False), ("peerwork.evaluation", True)]


def test_no_cross_app_import_hidden_inside_a_function():
    hidden = [
        f"{imp.where}: {imp.module}"
        for path in source_files()
        for imp in imports_of(path)
        if imp.in_function and target_app(imp.module) not in (None, app_of(path))
    ]
    assert not hidden, (
        "Import other apps at the top of the module; an import inside a function hides a dependency "
        "(and usually a cycle):\n" + "\n".join(hidden)
    )


# Packages of plain Python with no Django import, so they can be tested and benchmarked alone; the apps map
# their models to these packages' dataclasses. Keep this list and docs/architecture.md the same.
PURE_PYTHON = ("matching", "qda")


@pytest.mark.parametrize("package", PURE_PYTHON)
def test_pure_packages_are_pure_python(package):
    """``matching`` and ``qda`` have no Django import and import no other app."""
    offending = []
    for path in source_files(SRC / package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.split(".")[0] == "django" or (name.startswith("peerwork.") and target_app(name) != package):
                    offending.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert list(source_files(SRC / package)), f"{package}/ has no source files"
    assert not offending, f"{package}/ must not import Django or other apps:\n" + "\n".join(offending)


def _page_modules() -> Iterator[Path]:
    for path in source_files():
        rel = path.relative_to(SRC).parts
        if path.stem in {"views", "api"} or (len(rel) > 2 and rel[1] in {"views", "api"}) or rel[0] == "api":
            yield path


def test_views_and_api_never_query_tables_directly():
    """'A page never queries a tenant table directly': views and API routes call selectors and services."""
    offending = []
    for path in _page_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ".objects." in line or re.search(r"\.objects\b", line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, (
        "Move these queries into the app's selectors.py (taking the actor, scoped in SQL) or services.py:\n"
        + "\n".join(offending)
    )


OPTIONAL_GUESSING = re.compile(
    r"importorskip\(|except\s+(\(\s*)?ImportError|except\s+ModuleNotFoundError|find_spec\(|"
    r"apps\.is_installed\(\s*['\"]peerwork|pytest\.skip\(|mark\.skip(if)?\b"
)
# In Peerwork's own code a model is imported, not looked up by name. The data map is one exception: it
# declares every installed model, third-party ones too, by label, and its test fails on any label that
# does not resolve (the permission matrix test likewise looks up the models its rows name). The audit
# details are the other: the audit app sits below the apps whose choice labels its details show, so its
# kinds name their fields by label, and tests/audit/test_details.py renders every kind, failing on any label
# that does not resolve.
GUESSED_MODEL = re.compile(r"apps\.get_model\(")
MAPS_BY_LABEL = {SRC / "privacy" / "datamap.py", SRC / "audit" / "details.py"}


def test_no_app_pretends_to_be_optional():
    """Peerwork's apps always ship together: import them plainly. A guarded import or a test that skips when
    an in-repo module is missing turns a rename into a silently switched-off feature."""
    offending = []
    for root in (SRC, TESTS):
        for path in source_files(root):
            if path == Path(__file__).resolve():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                guessed = root == SRC and path not in MAPS_BY_LABEL and GUESSED_MODEL.search(line)
                if OPTIONAL_GUESSING.search(line) or guessed:
                    offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, "Import in-repo modules and declared dependencies plainly:\n" + "\n".join(offending)


def test_apps_extend_each_other_through_hooks_only():
    """Extension lists filled from AppConfig.ready() depend silently on INSTALLED_APPS; peerwork.core.hooks
    orders them explicitly. Two ready() methods remain, neither extending another app: core's registers
    Django's deploy checks, audit's puts the trail's database guards back after every migrate."""
    offending = []
    for path in SRC.glob("*/apps.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "ready" and app_of(path) not in {"core", "audit"}:
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offending, "Register through the app's hooks.py instead of AppConfig.ready():\n" + "\n".join(offending)


def test_installed_apps_follow_the_layers():
    ours = [c.name.split(".")[1] for c in apps.get_app_configs() if c.name.startswith("peerwork.")]
    assert [LAYERS[a] for a in ours] == sorted(LAYERS[a] for a in ours), (
        f"List Peerwork's apps in settings.INSTALLED_APPS lowest layer first: {ours}"
    )


def test_the_documented_layers_are_these():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*(\d+)\s*\|([^|]+)\|", doc, flags=re.M)
    documented = {name.strip(" `"): int(layer) for layer, names in rows for name in names.split(",")}
    expected = {name: layer for name, layer in LAYERS.items() if layer < 10}
    assert documented == expected, "docs/architecture.md's layer table and LAYERS in this test disagree"


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        raise AssertionError(
            f"A model change has no migration; run `./run manage makemigrations`:\n{out.getvalue()}"
        ) from exc


def test_development_only_packages_are_imported_for_the_type_checker_only():
    """django-stubs is a development dependency: importing its helpers at run time would break an install
    without it. They may be imported inside ``if TYPE_CHECKING:`` only."""
    offending = [
        f"{imp.where}: {imp.module}"
        for path in source_files()
        for imp in imports_of(path, only_peerwork=False)
        if imp.module.split(".")[0] in DEV_ONLY
    ]
    assert not offending, "Import these inside `if TYPE_CHECKING:`:\n" + "\n".join(offending)


DEV_ONLY = {"django_stubs_ext", "mypy", "pytest", "hypothesis", "factory", "playwright", "schemathesis"}


IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")
MOST_IGNORES = 15


def test_type_ignores_are_few_and_each_says_why():
    """mypy runs strict over all of src/peerwork. Where a library gives the type checker nothing to go on, a
    `# type: ignore[code]` may stay, followed by a comment that says why; there are fewer than fifteen."""
    found, silent = [], []
    for path in source_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = IGNORE.search(line)
            if match:
                where = f"{path.relative_to(ROOT)}:{number}"
                found.append(where)
                if not match.group(1) or not match.group("rest").strip().startswith("#"):
                    silent.append(where)
    assert not silent, "Name the error code and say why after it (# type: ignore[code]  # why):\n" + "\n".join(silent)
    assert len(found) < MOST_IGNORES, f"{len(found)} type: ignore comments; type the code instead:\n" + "\n".join(found)
