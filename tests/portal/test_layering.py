"""Imports between the apps run one way, read from the source with `ast` (imports inside functions too).

The layers, lowest first (also in README.md, "Layering"). A module may import its own layer and the
layers below; never a layer above, nor another app that shares its layer. A module belongs to the
longest prefix below that names it; every app (a folder with an apps.py) must be placed.
Django's entry points sit on top: it loads them by name (ROOT_URLCONF, INSTALLED_APPS, the
management commands), nothing imports them, so they cannot close a loop. Apps reach the layers
above them only by name: portal.hooks (home sections, search, seeds, member data...) and
portal.outbox (tasks published by name).
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = ["bench"]  # scanned too: the benchmarks import the apps, nothing imports them

LAYERS: list[tuple[str, list[str]]] = [
    ("shared infrastructure", ["portal"]),
    ("members and roles", ["accounts"]),
    ("moderation's rules and audit log", ["moderation.models", "moderation.policy", "moderation.audit"]),
    ("what members use", ["articles", "community", "alerts"]),
    ("the journal, built on alerts' schools and alerts", ["journal"]),
    ("moderation's queue and tools", ["moderation"]),
    (
        "Django's entry points",
        ["portal.settings", "portal.urls", "portal.admin_site", "portal.management", "portal.wsgi", "portal.asgi"],
    ),
    ("benchmarks", ["bench"]),
]


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} imports {self.target} (line {self.line})"


def modules_under(root: Path, packages: list[str]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def app_packages(root: Path) -> list[str]:
    return sorted(path.parent.name for path in root.glob("*/apps.py")) + [p for p in NOT_APPS if (root / p).is_dir()]


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """The project modules `name` imports anywhere in its file; `from x import y` counts as x.y when y is a module."""

    def known(dotted: str) -> str | None:
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in modules:
                return ".".join(parts[:end])
        return None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [known(alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [known(f"{base}.{alias.name}") or known(base) for alias in node.names]
        else:
            continue
        found += [Import(name, target, node.lineno) for target in dict.fromkeys(targets) if target and target != name]
    return sorted(found, key=lambda each: each.line)


def import_graph(root: Path) -> tuple[dict[str, Path], list[Import]]:
    modules = modules_under(root, app_packages(root))
    return modules, [found for name, path in modules.items() for found in imports_of(name, path, modules)]


def layer_of(module: str, layers=LAYERS) -> tuple[int, str] | None:
    """(layer index, the prefix that places it): the longest prefix wins."""
    matches = [
        (len(prefix), index, prefix)
        for index, (_, prefixes) in enumerate(layers)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1:] if matches else None


def app_of(module: str) -> str:
    return module.split(".")[0]


def layering_violations(imports: list[Import], layers=LAYERS) -> list[str]:
    found = []
    for each in imports:
        source, target = layer_of(each.source, layers), layer_of(each.target, layers)
        if source is None or target is None:
            continue  # test_every_app_has_a_place_in_the_layers says so
        source_layer, target_layer = source[0], target[0]
        if target_layer > source_layer:
            found.append(f"{each}: '{layers[source_layer][0]}' may not import '{layers[target_layer][0]}'")
        elif target_layer == source_layer and app_of(each.source) != app_of(each.target):
            found.append(f"{each}: two apps of the layer '{layers[source_layer][0]}' stay independent")
    return found


def loops_across_apps(imports: list[Import]) -> list[str]:
    """Each chain of imports that leads from a module back to itself through another app."""
    graph = defaultdict(set)
    for each in imports:
        graph[each.source].add(each.target)
    found = []
    for component in strongly_connected(graph):
        if len({app_of(module) for module in component}) < 2:
            continue
        # One loop per component is enough to act on: start at an import that leaves an app.
        start, step = next(
            (source, target)
            for source in sorted(component)
            for target in sorted(graph[source] & component)
            if app_of(source) != app_of(target)
        )
        found.append(" -> ".join([start, *shortest_path(graph, step, start, component)]))
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the sets of modules that import each other, directly or not."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [component for component in components if len(component) > 1]


def shortest_path(graph: dict[str, set[str]], start: str, goal: str, within: set[str]) -> list[str]:
    """Breadth first, inside one component: the modules from `start` to `goal`, both included."""
    previous, frontier = {start: start}, [start]
    while goal not in previous:
        reached = []
        for node in frontier:
            for target in sorted(graph[node] & within):
                if target not in previous:
                    previous[target] = node
                    reached.append(target)
        frontier = reached
    path = [goal]
    while path[-1] != start:
        path.append(previous[path[-1]])
    return path[::-1]


def tasks_imported_outside_tasks(imports: list[Import]) -> list[str]:
    """Services (and every other module) publish tasks by name through portal.outbox: only a tasks
    module imports a tasks module, so the import between services and tasks runs one way."""

    def is_tasks(module: str) -> bool:
        return "tasks" in module.split(".")

    return [str(each) for each in imports if is_tasks(each.target) and not is_tasks(each.source)]


# --- The rules, over the portal's own source --------------------------------------------------


def test_every_app_has_a_place_in_the_layers():
    modules, _ = import_graph(ROOT)
    unplaced = sorted({app_of(module) for module in modules if layer_of(module) is None})
    assert not unplaced, f"place these apps in LAYERS (and README.md, Layering): {unplaced}"


def test_no_chain_of_imports_leads_back_to_a_module_through_another_app():
    _, imports = import_graph(ROOT)
    assert loops_across_apps(imports) == []


def test_no_module_imports_a_layer_above_it_nor_a_sibling_app():
    _, imports = import_graph(ROOT)
    assert layering_violations(imports) == []


def test_services_never_import_tasks():
    _, imports = import_graph(ROOT)
    assert tasks_imported_outside_tasks(imports) == []


def test_the_readme_states_the_same_layers():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Layering", 1)[1].split("\n## ", 1)[0]
    for name, prefixes in LAYERS:
        assert name in section, name
        for prefix in prefixes:
            assert prefix in section, prefix


# --- The checker itself, on a small project of its own -----------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checker_finds_a_loop_through_an_import_inside_a_function(tmp_path):
    write(
        tmp_path,
        {
            "shop/apps.py": "",
            "shop/__init__.py": "",
            "shop/services.py": "from stock.services import take\n",
            "stock/apps.py": "",
            "stock/__init__.py": "",
            "stock/services.py": "def take():\n    from shop import services\n",
            "stock/tasks.py": "",
        },
    )
    _, imports = import_graph(tmp_path)
    assert loops_across_apps(imports) == ["shop.services -> stock.services -> shop.services"]


def test_the_checker_finds_an_upward_import_a_sibling_import_and_a_task_import(tmp_path):
    write(
        tmp_path,
        {
            "base/apps.py": "",
            "base/util.py": "import os\nfrom top.views import page\n",
            "left/apps.py": "",
            "left/services.py": "from right import models\n",
            "right/apps.py": "",
            "right/models.py": "",
            "right/services.py": "def later():\n    from . import tasks\n",
            "right/tasks.py": "from right import services\n",
            "top/apps.py": "",
            "top/views.py": "import base.util\n",
        },
    )
    layers = [("base", ["base"]), ("features", ["left", "right"]), ("top", ["top"])]
    _, imports = import_graph(tmp_path)
    assert layering_violations(imports, layers) == [
        "base.util imports top.views (line 2): 'base' may not import 'top'",
        "left.services imports right.models (line 1): two apps of the layer 'features' stay independent",
    ]
    assert tasks_imported_outside_tasks(imports) == ["right.services imports right.tasks (line 2)"]
