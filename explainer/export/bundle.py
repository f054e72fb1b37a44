"""Export one scene to files, and a lecture (an ordered list of scenes) to one zip with an
offline index.html handout and the speaker notes as Markdown."""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass

from explainer.export import images, slide, tables
from explainer.export.beyond import NO_SNIPPET
from explainer.export.html import offline_html
from explainer.export.panels import scene_panels
from explainer.export.scenes import ExportScene
from explainer.export.snippet import torch_snippet
from explainer.figures import theme


@dataclass(frozen=True)
class Lecture:
    """A title and its scenes, in order."""

    title: str
    scenes: tuple[ExportScene, ...]


def scene_files(s: ExportScene) -> dict[str, bytes]:
    """Every file of one scene by name: per figure ``NAME-light.png``, ``NAME-dark.png``, the
    SVGs, ``NAME.html`` (offline, animated) and ``NAME.csv``; and ``run_in_pytorch.py`` where
    the weights are seeded (not trained)."""
    files, jobs = prepare(s)
    return {**files, **rendered(jobs)}


def prepare(s: ExportScene) -> tuple[dict[str, bytes], dict[str, tuple]]:
    """A scene's files that need no renderer, and its image jobs by file name."""
    scene, panels = scene_panels(s)
    files: dict[str, bytes] = {}
    jobs: dict[str, tuple] = {}
    for p in panels:
        files[f"{p.name}.html"] = offline_html(p.spec, p.step, s.title).encode()
        files[f"{p.name}.csv"] = tables.to_csv(p.table).encode()
        picture = slide.still(p.spec, p.step)
        for name in slide.THEMES:
            spec = theme.pack(slide.for_slide(picture, name))
            for fmt in ("png", "svg"):
                jobs[f"{p.name}-{name}.{fmt}"] = (spec, fmt, slide.WIDTH, slide.HEIGHT)
    try:
        if scene is None:
            raise ValueError(NO_SNIPPET[s.page_file])
        files["run_in_pytorch.py"] = torch_snippet(scene.cfg, s.title).encode()
    except ValueError as err:
        files["run_in_pytorch.txt"] = f"No PyTorch snippet: {err}.\n".encode()
    return files, jobs


def rendered(jobs: dict[str, tuple]) -> dict[str, bytes]:
    """Image jobs by file name rendered in one Chromium, as bytes."""
    out = images.render(list(jobs.values()))
    return {n: d if isinstance(d, bytes) else d.encode() for n, d in zip(jobs, out, strict=True)}


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deflated zip of ``files`` (name -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def lecture_files(lecture: Lecture) -> dict[str, bytes]:
    """Every scene's files in a folder ``NN-slug/``, plus ``index.html`` and ``notes.md``."""
    files, jobs, entries = {}, {}, []
    for k, s in enumerate(lecture.scenes, 1):
        folder = f"{k:02d}-{s.slug()}"
        try:
            mine, pictures = prepare(s)
        except ValueError as err:  # a page with no export yet: the zip says so
            mine, pictures = {"README.txt": f"{s.title}: not exported: {err}.\n".encode()}, {}
        files.update({f"{folder}/{name}": data for name, data in mine.items()})
        jobs.update({f"{folder}/{name}": job for name, job in pictures.items()})
        entries.append((folder, s, sorted([*mine, *pictures])))
    files.update(rendered(jobs))  # one Chromium for the whole lecture
    files["index.html"] = index_html(lecture, entries).encode()
    files["notes.md"] = notes_markdown(lecture).encode()
    return files


def notes_markdown(lecture: Lecture) -> str:
    """Speaker notes: one section per scene with its page and settings."""
    lines = [f"# {lecture.title}: speaker notes", ""]
    for k, s in enumerate(lecture.scenes, 1):
        settings = ", ".join(f"{a}={b}" for a, b in s.params.items()) or "defaults"
        lines += [f"## {k}. {s.title}", "", f"*{s.page}* ({settings})", "", s.notes or "-", ""]
    return "\n".join(lines)


def notes_html(notes: str) -> str:
    """Talking points ("- " lines) as a list, other text as a paragraph."""
    lines = [line.strip() for line in notes.splitlines() if line.strip()]
    if lines and all(line.startswith("- ") for line in lines):
        return "<ul>" + "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines) + "</ul>"
    return f"<p>{html.escape(notes)}</p>"


def index_html(lecture: Lecture, entries) -> str:
    """A one-page handout that opens with no server: each scene's slide picture and links to
    its animated HTML, SVG and CSV files (all relative, all in the zip)."""
    esc = html.escape
    parts = []
    for k, (folder, s, names) in enumerate(entries, 1):
        pictures = [n for n in names if n.endswith("-light.png")]
        links = " · ".join(
            f'<a href="{folder}/{esc(n)}">{esc(n)}</a>'
            for n in names
            if n.endswith((".html", ".csv", ".svg", ".py", ".txt", "-dark.png"))
        )
        imgs = "".join(
            f'<img src="{folder}/{esc(n)}" alt="{esc(s.title)}: {esc(n)}">' for n in pictures
        )
        parts.append(
            f"<section><h2>{k}. {esc(s.title)}</h2>{notes_html(s.notes)}{imgs}"
            f"<p class='files'>{links}</p></section>"
        )
    style = (
        "body{font:18px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
        "color:#111}img{width:100%;border:1px solid #ccc;margin:.5em 0}"
        ".files{font-size:15px}h2{margin-top:2em}"
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc(lecture.title)}"
        f"</title><style>{style}</style></head><body><h1>{esc(lecture.title)}</h1>"
        "<p>Figures from <b>Unrolled</b>, an interactive explainer of recurrent networks. Each "
        "scene's animated HTML plays offline; the CSV files hold the numbers behind each figure."
        f"</p>{''.join(parts)}</body></html>"
    )
