"""Run benchmark sections: ``python -m explainer.bench`` (all) or ``... core pages train``.

A section with several tables takes one as ``section:table`` (``class:replicas``).
"""

import importlib
import pkgutil
import sys

import explainer.bench


def main(argv: list[str]) -> None:
    found = sorted(
        m.name for m in pkgutil.iter_modules(explainer.bench.__path__) if m.name[0] != "_"
    )
    chosen = argv or found
    unknown = {name.partition(":")[0] for name in chosen} - set(found)
    if unknown:
        sys.exit(f"unknown sections {sorted(unknown)}; choose from {found}")
    for name in chosen:
        section, _, table = name.partition(":")
        print(f"\n## {name}\n", flush=True)
        module = importlib.import_module(f"explainer.bench.{section}")
        module.run(table) if table else module.run()


if __name__ == "__main__":
    main(sys.argv[1:])
