"""Run benchmark sections: ``python -m explainer.bench`` (all) or ``... core pages train``."""

import importlib
import pkgutil
import sys

import explainer.bench


def main(argv: list[str]) -> None:
    found = sorted(
        m.name for m in pkgutil.iter_modules(explainer.bench.__path__) if m.name[0] != "_"
    )
    chosen = argv or found
    unknown = set(chosen) - set(found)
    if unknown:
        sys.exit(f"unknown sections {sorted(unknown)}; choose from {found}")
    for name in chosen:
        print(f"\n## {name}\n", flush=True)
        importlib.import_module(f"explainer.bench.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
