"""The folders are the architecture: which package may import which, checked on every run."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.queues import all_queues

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "storage", "digitize", "signing", "workers", "api")

MAY_IMPORT = {
    "config": {"config"},
    "storage": {"config", "storage"},
    "digitize": {"config", "storage", "digitize"},
    "signing": {"config", "storage", "signing"},
    "workers": {"config", "storage", "digitize", "signing", "workers"},
    "api": set(PACKAGES),
}
"""Dependencies point one way: api and workers -> digitize, signing -> storage -> config."""

THIRD_PARTY_HOME = {
    "cv2": "digitize",
    "pytesseract": "digitize",
    "pyhanko": "signing",
    "fastapi": "api",
    "starlette": "api",
    "uvicorn": "api",
    "rq": "workers|api",
}
"""Libraries only one package may use (rq: the queue's owners; api reads queue status)."""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules() -> list[tuple[str, Path]]:
    return [(pkg, path) for pkg in PACKAGES for path in sorted((REPO / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_imports_follow_the_layers(package: str, path: Path) -> None:
    imported = _imports(path)
    forbidden = (imported & set(PACKAGES)) - MAY_IMPORT[package]
    assert not forbidden, f"{path.relative_to(REPO)} imports {sorted(forbidden)}"
    for library, home in THIRD_PARTY_HOME.items():
        if library in imported:
            assert package in home.split("|"), f"{path.relative_to(REPO)} imports {library}"


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_every_module_says_what_it_does(package: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path.parent.name == "versions":
        return
    docstring = ast.get_docstring(tree)
    assert docstring, f"{path.relative_to(REPO)} has no module docstring"
    has_code = any(not isinstance(node, ast.Expr) for node in tree.body)
    if has_code:
        assert "from __future__ import annotations" in path.read_text(encoding="utf-8"), path


JOB_TABLE = REPO / "workers" / "jobs.py"
"""The one module that puts jobs on queues: the job table."""


def _enqueue_calls(path: Path) -> list[int]:
    """Lines of `.enqueue(...)`, `.enqueue_at(...)`, `.enqueue_in(...)` and
    `.enqueue_call(...)` calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("enqueue", "enqueue_at", "enqueue_in", "enqueue_call")
    ]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_only_the_job_table_puts_jobs_on_queues(package: str, path: Path) -> None:
    """A kind of job is one row of workers.jobs; `enqueue(kind, ...)` is the only way in
    (rq's `enqueue_job`, which puts an existing job back, is not a new job)."""
    if path == JOB_TABLE:
        return
    calls = _enqueue_calls(path)
    assert not calls, f"{path.relative_to(REPO)}:{calls} enqueues outside workers.jobs"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, known: set[str]) -> set[str]:
    """The sohoa modules a module imports, wherever the import statement is (a function's
    lazy import is still a dependency); `from pkg import mod` counts as importing pkg.mod."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found.update((submodules & known) or ({node.module} & known))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph (as the path that closes it), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles_within_a_package(package: str) -> None:
    """Modules of a package import one another one way only (a package's __init__ that
    re-exports its modules is not a cycle with them: they are its parts)."""
    paths = {_module_name(p): p for p in sorted((REPO / package).rglob("*.py"))}
    known = set(paths)
    graph = {
        name: {
            target
            for target in _imported_modules(path, known)
            if target != name and not name.startswith(f"{target}.")
        }
        for name, path in paths.items()
    }
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


DEV_TOOLS = (
    "digitize.synthetic",
    "digitize.classifier.corpus",
    "digitize.classifier.noise",
    "digitize.classifier.others",
    "digitize.classifier.train",
    "signing.testpki",
    "signing.testpki_images",
    "certomancer",
)
"""Test-data generators and what trains on them: the sample document generator, the type
model's training corpus and trainer, the test PKI (and certomancer, a dev extra, under it).
The product never depends on them."""

DEV_COMMANDS = {
    "api.cli.samples_cmd": "sohoa samples: writes generated sample dossiers",
    "api.cli.testpki_cmd": "sohoa testpki: the demo's own PKI (certomancer is a dev extra)",
    "api.cli.model_cmd": "sohoa model train: trains the type model on generated documents",
}
"""The dev tools' own commands: they import a dev tool inside the command, never at import
time, so the rest of the CLI (and every service) runs without it."""


def _is_dev_tool(module: str) -> bool:
    return any(module == tool or module.startswith(f"{tool}.") for tool in DEV_TOOLS)


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run when the module is imported (inside if/try blocks too)."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            yield from _module_level(node.body)
            yield from _module_level(node.orelse)


def _dev_tools_imported(path: Path, *, lazily: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = list(ast.walk(tree)) if lazily else list(_module_level(tree.body))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if _is_dev_tool(name)}


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_the_product_does_not_depend_on_its_test_data_generators(package: str, path: Path) -> None:
    """No product module imports a dev tool (the generator, the test PKI, the trainer);
    a dev tool's own command may, inside the command (DEV_COMMANDS)."""
    name = _module_name(path)
    if _is_dev_tool(name):
        return
    at_import = _dev_tools_imported(path, lazily=False)
    assert not at_import, f"{path.relative_to(REPO)} imports dev tools {sorted(at_import)}"
    if name not in DEV_COMMANDS:
        lazy = _dev_tools_imported(path, lazily=True)
        assert not lazy, f"{path.relative_to(REPO)} imports dev tools {sorted(lazy)}"


PYHANKO_ADAPTER = REPO / "signing" / "pdfread.py"
"""The one module that reaches into pyHanko's internals (for the pinned minor version)."""

PUBLIC_UNDERSCORED = {"_replace", "_asdict", "_fields", "_make"}
"""namedtuple's API, public despite its underscore."""


def _private_reaches(path: Path) -> list[int]:
    """Lines that read another object's private attribute: `x._name` where x is not the
    module's own `self` or `cls` (`super()._name` included: that is a base class's)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and node.attr not in PUBLIC_UNDERSCORED
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_only_the_pyhanko_adapter_reaches_into_a_librarys_internals(
    package: str, path: Path
) -> None:
    """A library's private attributes (pyHanko's `_walk_page_tree`...) are read in one
    module, which checks the version it was written for (signing.pdfread)."""
    if path == PYHANKO_ADAPTER:
        return
    lines = _private_reaches(path)
    assert not lines, f"{path.relative_to(REPO)}:{lines} reaches a private attribute"


def _message_text(node: ast.expr, caught: str) -> bool:
    """Whether `node` is the text of the caught exception: str(e), repr(e), f"{e}", e.args."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in ("str", "repr") and any(
            isinstance(a, ast.Name) and a.id == caught for a in node.args
        )
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.FormattedValue)
            and (
                (isinstance(v.value, ast.Name) and v.value.id == caught)
                or _message_text(v.value, caught)
            )
            for v in node.values
        )
    if isinstance(node, ast.Subscript):
        return _message_text(node.value, caught)
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "args"
        and isinstance(node.value, ast.Name)
        and node.value.id == caught
    )


def _decisions_on_message_text(path: Path) -> list[int]:
    """Lines in an `except ... as e:` block that compare or search the text of e."""
    found = []
    for handler in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(handler, ast.ExceptHandler) or handler.name is None:
            continue
        for node in (n for stmt in handler.body for n in ast.walk(stmt)):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_message_text(side, handler.name) for side in sides):
                    found.append(node.lineno)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("startswith", "endswith", "find", "index", "count")
                and _message_text(node.func.value, handler.name)
            ):
                found.append(node.lineno)
    return found


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_no_decision_is_made_on_an_exceptions_message_text(package: str, path: Path) -> None:
    """Errors are told apart by their class or their data, never by the words of their
    message: a library's rewording must not change what sohoa decides."""
    lines = _decisions_on_message_text(path)
    assert not lines, f"{path.relative_to(REPO)}:{lines} decides on an exception's message"


SESSION_OPENERS = ("session", "Session", "sessionmaker")
"""Calls that open a database session: `Database.session()`, SQLAlchemy's `Session(...)`
and `sessionmaker(...)`."""

API_USE_CASES = {
    "api.services": "dossiers and documents: upload, counter work, field corrections",
    "api.accounts": "accounts, logins, sessions and API tokens",
    "api.archive_service": "archive search, access copies, retention and disposal",
    "api.inbox": "the scanner inbox: a file stored, matched to its dossier or assigned",
    "api.inbox_edits": "the scanner inbox: a waiting stack cut, a page turned",
    "api.dossier_views": "read model: one dossier and what it holds",
    "api.worklists": "read model: the lists people work from",
    "api.office_views": "read model: queues, rates, the feed",
    "api.owners": "read model: whose a record is, for the access check",
    "api.dossier_search": "read model: a clerk's search of the unit's dossiers",
    "api.inbox_views": "read model: the scanner inbox's waiting files",
    "api.forms": "read model: Circular 03/2025 forms from the event log",
    "api.receipts": "read model: a dossier's receipt",
    "api.jobs": "read model: a job's status for its owner",
    "api.throttle": "login attempts reserved and settled in the database",
    "api.sign_service": "a leader's signing: results seen and queued, the signed result's file",
    "api.exchange_views": "the feed a provincial system pulls: pages, acknowledgements, its token",
}
"""The api's flow layer: its use cases and read models, which commands (api.cli) and
routes (api.http) call; they open sessions as a stage's flow module does."""

STILL_OPENING: dict[str, tuple[int, str]] = {}
"""Modules that still open sessions outside a flow, each with how many and why; the list
only shrinks (a module that opens fewer must be updated here, one that opens none taken off).
Empty now: every use case that opens a session lives in a flow, storage or the api's list."""


def _may_open_sessions(name: str) -> bool:
    """storage/, a stage's `flow` module or package, and the api's flow layer."""
    parts = name.split(".")
    return parts[0] == "storage" or "flow" in parts[1:] or name in API_USE_CASES


def _session_openings(path: Path) -> list[int]:
    """Lines that open a database session."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if called in SESSION_OPENERS:
            found.append(node.lineno)
    return found


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_only_flow_modules_and_storage_open_database_sessions(package: str, path: Path) -> None:
    """Use cases live in one kind of place: a stage's `flow` module opens the session, calls
    pure code with plain data and records the result; tasks, commands and routes call one
    function of it. A module outside storage/ and the flows opening a session is a use case
    in the wrong room (STILL_OPENING lists the ones not moved yet)."""
    name = _module_name(path)
    if _may_open_sessions(name):
        return
    lines = _session_openings(path)
    allowed, _why = STILL_OPENING.get(name, (0, ""))
    assert len(lines) <= allowed, (
        f"{path.relative_to(REPO)}:{lines} opens database sessions; move the use case into "
        "its stage's flow module (or storage) and call it"
    )
    assert len(lines) == allowed, (
        f"{path.relative_to(REPO)} opens {len(lines)} sessions, STILL_OPENING says {allowed}: "
        "shrink its entry (remove it at 0)"
    )


def test_the_session_allowlists_name_modules_that_exist() -> None:
    """Every module STILL_OPENING and API_USE_CASES name exists (a renamed one must be
    renamed here too, not silently let through)."""
    known = {_module_name(path) for _, path in _modules()}
    assert not (set(STILL_OPENING) | set(API_USE_CASES)) - known


BLOB_STORE_HOME = {"storage.blobs", "config.settings", "config.filemodes"}
"""Where the blob directory is named: the local store built on it, the setting that defines
it and the data roots' permissions narrowed at start."""


def _blob_directory_reads(path: Path) -> list[int]:
    """Lines that read the local blob store's directory (`settings.blob_path`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "blob_path"
    ]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_blobs_are_read_through_the_store_not_its_directory(package: str, path: Path) -> None:
    """A BlobStore is built by storage.blobs.blob_store and read through its methods (a
    backup too), so another store (an object store, a fault-injecting one) stands behind
    every use; reading its directory directly works only for the local one."""
    if _module_name(path) in BLOB_STORE_HOME:
        return
    lines = _blob_directory_reads(path)
    assert not lines, f"{path.relative_to(REPO)}:{lines} reads the blob directory directly"


def _blob_store_calls(path: Path) -> list[int]:
    """Lines that get the blob store: `blob_store(...)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == "blob_store":
                found.append(node.lineno)
    return found


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_only_flow_modules_and_storage_open_the_blob_store(package: str, path: Path) -> None:
    """What a route or a command serves from the blob store (a document's PDF, a signed
    result, a page to render) is a use case's answer: a path, a media type and a name.
    A route or a command that gets the store itself is a use case in the wrong room."""
    if _may_open_sessions(_module_name(path)):
        return
    lines = _blob_store_calls(path)
    assert not lines, (
        f"{path.relative_to(REPO)}:{lines} gets the blob store; ask a use case of the api "
        "(api.dossier_views, api.sign_service...), a flow or storage for the file instead"
    )


JOB_TABLE_MODULE = "workers.jobs"
"""The one module that names queues: the job table's rows."""


def _is_queue(node: ast.AST | None, queues: set[str]) -> bool:
    return isinstance(node, ast.Constant) and node.value in queues


def _names_queues(node: ast.AST, queues: set[str]) -> bool:
    """Whether a node (an argument, a class body) holds a queue's name, in literals too."""
    return any(_is_queue(inner, queues) for inner in ast.walk(node))


def _listed_queues(path: Path, queues: set[str]) -> list[int]:
    """Lines that name queues as queues: an enum's members, a literal collection of two or
    more, an argument of a call about queues (`get_queue`, `Queue`, `queues=`, a lane), or
    a comparison with a job's `origin`. The same words meaning something else (the
    `archive` command, the `sign` action) are not queues."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and any(
            "Enum" in ast.unparse(base) for base in node.bases
        ):
            if _names_queues(node, queues):
                found.append(node.lineno)
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            if sum(_is_queue(element, queues) for element in node.elts) >= 2:
                found.append(node.lineno)
        elif isinstance(node, ast.Dict):
            if sum(_is_queue(key, queues) for key in node.keys) >= 2:
                found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            about_queues = any(word in called.lower() for word in ("queue", "lane"))
            values = [*node.args, *(k.value for k in node.keywords)] if about_queues else []
            values += [k.value for k in node.keywords if k.arg and "queue" in k.arg]
            if any(_names_queues(value, queues) for value in values):
                found.append(node.lineno)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            origin = any(isinstance(s, ast.Attribute) and s.attr == "origin" for s in sides)
            if origin and any(_names_queues(side, queues) for side in sides):
                found.append(node.lineno)
    return sorted(set(found))


@pytest.mark.parametrize(("package", "path"), _modules(), ids=str)
def test_queues_are_named_only_in_the_job_table(package: str, path: Path) -> None:
    """A new queue is a row of workers.jobs and nothing else: the list of queues, the
    order workers take them, the CLI's choices and the lanes are read from the table, so
    no module lists a queue (an enum of queues, a tuple of them, a queue picked by name)."""
    name = _module_name(path)
    if name == JOB_TABLE_MODULE:
        return
    lines = _listed_queues(path, set(all_queues()))
    assert not lines, f"{path.relative_to(REPO)}:{lines} names queues outside workers.jobs"
