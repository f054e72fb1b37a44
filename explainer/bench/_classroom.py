"""Servers and shared settings for the class benchmarks (``explainer.bench.class``)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

from explainer.serve.cluster import REPO, Cluster, Replica, free_port, wait_healthy

SECONDS = float(os.environ.get("UNROLLED_CLASS_SECONDS", "30"))
RAMP_S = 5.0
PAGES = [""] + [p.stem.split("_", 1)[1] for p in sorted((REPO / "pages").glob("*.py"))]
DEFAULTS = ("--runner.postScriptGC", "true", "--server.fileWatcherType", "auto")
SETTINGS = {
    "streamlit defaults": DEFAULTS,
    "postScriptGC = false only": ("--runner.postScriptGC", "false", "--server.fileWatcherType", "auto"),  # noqa: E501
    'fileWatcherType = "none" only': ("--runner.postScriptGC", "true", "--server.fileWatcherType", "none"),  # noqa: E501
    "class settings (config.toml)": (),
}  # fmt: skip
HEADER = (
    "| setup | students | changes | p50 ms | p95 ms | max ms | first open max s "
    "| exceptions / failed / dropped | peak server RSS MB | client CPU s | load 1 min |\n"
    "|---|---:|---:|---:|---:|---:|---:|:-:|---:|---:|---:|"
)


def load() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


@contextmanager
def one_process(flags: tuple[str, ...] = ()):
    """One ``streamlit run Home.py`` on a free port: yields (url, pids)."""
    with tempfile.TemporaryFile("w") as log:
        replica = Replica(free_port(), flags=flags)
        replica.start(log)
        try:
            wait_healthy(replica.url, replica.process, 120)
            yield replica.url, lambda: [replica.process.pid]
        finally:
            replica.stop()


@contextmanager
def replicated(count: int | None = None):
    """nginx + ``count`` replicas (default: one per core) on free ports: yields (url, pids)."""
    count = count or os.cpu_count() or 1
    with tempfile.TemporaryFile("w") as log:
        cluster = Cluster(free_port(), [free_port() for _ in range(count)], log=log)
        try:
            cluster.start()
            yield cluster.url, cluster.pids
        finally:
            cluster.stop()


@contextmanager
def replicated_with_direct():
    """nginx + one replica per core: yields (the proxy's url, the first replica's url)."""
    count = os.cpu_count() or 1
    with tempfile.TemporaryFile("w") as log:
        cluster = Cluster(free_port(), [free_port() for _ in range(count)], log=log)
        try:
            cluster.start()
            yield cluster.url, cluster.replicas[0].url
        finally:
            cluster.stop()
