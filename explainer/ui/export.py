"""The "Export" popover beside "Link to this scene": this scene's slide pictures, offline
animated HTML, CSV and PyTorch snippet as downloads, prepared on demand.

Preparing runs on the server's training line (``jobs``: few at once, at a lower CPU priority),
so exports never take the cores from students who are only browsing; finished files are cached
per scene (bounded) and shared, so a class asking for the same scene waits for one export.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from explainer import jobs
from explainer.export import bundle
from explainer.export.beyond import BUILDERS as BEYOND
from explainer.export.panels import BUILDERS
from explainer.export.scenes import ExportScene, page_file

WAIT_SECONDS = 240  # a cold export is Chromium's start-up plus a few seconds a picture
SHOWN = {  # file endings offered one by one, with their labels
    "-light.png": "slide, light (PNG)",
    "-dark.png": "slide, dark (PNG)",
    "-light.svg": "slide, light (SVG)",
    "-dark.svg": "slide, dark (SVG)",
    ".html": "animated, plays offline (HTML)",
    ".csv": "the numbers (CSV)",
    ".py": "the run in PyTorch (.py)",
}
MIME = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html", "csv": "text/csv",
        "py": "text/x-python", "txt": "text/plain"}  # fmt: skip


def current_scene() -> ExportScene | None:
    """This page's scene from its URL and query parameters; None on a page without export."""
    path = urlsplit(st.context.url or "").path.rstrip("/")
    try:
        page = page_file(path or "Home")
    except ValueError:
        return None
    if page.split("/")[-1] not in {**BUILDERS, **BEYOND}:
        return None
    params = {k: v for k, v in st.query_params.to_dict().items() if isinstance(v, str)}
    return ExportScene(page.split("/")[-1].split("_", 1)[-1].replace(".py", ""), page, params)


@st.cache_resource(max_entries=8, show_spinner=False)
def exported(key: tuple) -> dict[str, bytes]:
    """The files of the scene ``key`` (page, sorted params), made on the training line."""
    page, params = key
    scene = ExportScene(page.split("/")[-1].removesuffix(".py"), page, dict(params))
    out: dict = {}

    def work(job: jobs.Job) -> str:
        out.update(bundle.scene_files(scene))
        job.progress(1)
        return "done"

    from explainer.ui.train import queue  # late: the training UI imports these panels

    job = jobs.Job(work, 1, rate_key=("export",))
    if not queue().submit(job):
        raise TimeoutError("the server's line for heavy work is full; try again in a minute")
    if not job.wait(WAIT_SECONDS) or job.error is not None or not out:
        queue().cancel(job)
        why = f": {job.error}" if job.error is not None else f" within {WAIT_SECONDS} s"
        raise TimeoutError(f"the export did not finish{why}")
    return out


def export_popover() -> None:
    """The popover: a button that prepares the files, then one download per file and a zip."""
    scene = current_scene()
    if scene is None:
        return
    with st.popover("Export", icon=":material/download:"):
        st.caption(
            "For slides and handouts: pictures at 1920×1080 (light and dark, projector type), "
            "an animated HTML file that plays offline, the numbers as CSV and, where the weights "
            "are seeded, a PyTorch script that reproduces this run."
        )
        key = (scene.page, tuple(sorted(scene.params.items())))
        if not st.session_state.get(("export", key)):
            if not st.button("Prepare the files", key="export_prepare", icon=":material/build:"):
                return
        with st.spinner("Preparing (slide pictures take a few seconds each)…"):
            try:
                files = exported(key)
            except (TimeoutError, ValueError) as err:
                st.warning(f"No export: {err}.", icon=":material/hourglass:")
                return
        st.session_state[("export", key)] = True
        downloads(scene, files)


def downloads(scene: ExportScene, files: dict[str, bytes]) -> None:
    """One download button per file, then the zip of all of them; why there is no PyTorch
    script, where there is none."""
    why = files.get("run_in_pytorch.txt")
    if why:
        st.caption(why.decode().strip())
    for name in sorted(files):
        label = next((v for end, v in SHOWN.items() if name.endswith(end)), name)
        stem = name.rsplit(".", 1)[0].split("-")[0]
        st.download_button(
            f"{stem}: {label}", files[name], file_name=name, key=f"export_{name}",
            mime=MIME.get(name.rsplit(".", 1)[-1]), on_click="ignore", width="stretch",
        )  # fmt: skip
    st.download_button(
        "Everything (zip)", bundle.zip_bytes(files), file_name=f"{scene.slug()}.zip",
        mime="application/zip", key="export_zip", on_click="ignore", type="primary",
        icon=":material/folder_zip:", width="stretch",
    )  # fmt: skip
