"""``python -m explainer.export --lecture NAME --out DIR`` (one zip: every scene's PNG, SVG,
HTML and CSV, an offline index.html and notes.md) or ``--scene URL --out DIR`` (that scene's
files in a folder, and the same as a zip)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explainer.export.bundle import lecture_files, scene_files, zip_bytes
from explainer.export.lectures import lecture, lectures
from explainer.export.scenes import from_url


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m explainer.export", description=__doc__)
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--lecture", help=f"a lecture name: {', '.join(lectures())}")
    what.add_argument("--scene", help="a scene's link, e.g. http://host/Gradients_through_time?t=4")
    ap.add_argument("--out", required=True, type=Path, help="folder to write into")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.lecture:
            name, files = args.lecture, lecture_files(lecture(args.lecture))
        else:
            scene = from_url(args.scene)
            name, files = scene.slug(), scene_files(scene)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    if args.scene:
        folder = args.out / name
        for file, data in files.items():
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            (folder / file).write_bytes(data)
    target = args.out / f"{name}.zip"
    target.write_bytes(zip_bytes(files))
    took = time.perf_counter() - started
    size = target.stat().st_size / 1e6
    print(f"wrote {target} ({size:.1f} MB, {len(files)} files) in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
