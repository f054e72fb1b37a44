"""Streamlit replicas behind one nginx: the proxy's config from a template, start, health, restart.

A streamlit session lives in one process, so the proxy keeps each student on one replica (a
consistent hash of a cookie it sets itself); a replica that stops is skipped (passive failover)
and its students reconnect to another, while the other replicas' sessions go on untouched.
"""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).with_name("nginx.conf.in")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HEALTH_TIMEOUT_S = 90
# precompressed once, served by nginx with gzip_static
COMPRESSED = (".js", ".css", ".svg", ".json", ".txt", ".html", ".map")


def free_port() -> int:
    """A free loopback port (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(base_url: str, timeout: float = 2.0) -> bool:
    """True when streamlit's health endpoint at ``base_url`` answers ``ok``."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_healthy(base_url: str, process: subprocess.Popen | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(base_url):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{base_url}: exited with status {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base_url}: not healthy after {timeout:.0f} s")
        time.sleep(0.2)


def stop_process(process: subprocess.Popen | None, timeout: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def upload_limit_mb(root: Path = REPO) -> int:
    """``server.maxUploadSize`` from the app's config.toml (streamlit's default: 200)."""
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    return int(config.get("server", {}).get("maxUploadSize", 200))


def prepare_static(www: Path) -> None:
    """Copy streamlit's front end (its ``static/static``) to ``www/static`` with .gz beside it."""
    import streamlit  # the installed front end, the same version the replicas serve

    source = Path(streamlit.__file__).parent / "static" / "static"
    shutil.copytree(source, www / "static")
    for path in (www / "static").rglob("*"):
        if path.suffix in COMPRESSED and path.stat().st_size > 1024:
            packed = path.with_suffix(path.suffix + ".gz")
            with open(path, "rb") as raw, gzip.GzipFile(packed, "wb", 6, mtime=0) as out:
                shutil.copyfileobj(raw, out)


def nginx_config(listen: str, upstreams: list[str], run_dir: Path, upload_mb: int) -> str:
    """The proxy's config: the template with this launch's ports, paths and replicas."""
    servers = "\n".join(
        f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams
    )  # fmt: skip
    text = TEMPLATE.read_text()
    for key, value in {
        "@RUN@": str(run_dir),
        "@LISTEN@": listen,
        "@SERVERS@": servers,
        "@UPLOAD_MB@": str(upload_mb + 1),  # streamlit's own check answers first
    }.items():
        text = text.replace(key, value)
    return text


def forward(stream: IO[bytes], prefix: str, out: IO[str]) -> None:
    """Copy a child's output to ``out`` line by line, each line prefixed with its name."""
    for line in iter(stream.readline, b""):
        if not line.strip():
            continue
        out.write(f"{prefix} {line.decode(errors='replace')}")
        out.flush()


@dataclass
class Replica:
    """One ``streamlit run`` process on a loopback port."""

    port: int
    app: str = "Home.py"
    cwd: Path = REPO
    flags: tuple[str, ...] = ()
    address: str = "127.0.0.1"
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def upstream(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", self.app,
            "--server.port", str(self.port), "--server.address", self.address,
            "--server.headless", "true", "--logger.hideWelcomeMessage", "true", *self.flags,
        ]  # fmt: skip

    def start(self, log: IO | None) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
        self.process = start_logged(self.command(), self.cwd, env, log, f"[{self.port}]")

    def stop(self) -> None:
        stop_process(self.process)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def start_logged(command: list[str], cwd: Path, env: dict | None, log: IO | None, prefix: str):
    """Start ``command`` with its output in ``log`` (a file), or prefixed on stdout when None."""
    if log is not None:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    threading.Thread(target=forward, args=(process.stdout, prefix, sys.stdout), daemon=True).start()
    return process


@dataclass
class Cluster:
    """Replicas on ``replica_ports`` (and any ``remote`` host:port upstreams) behind nginx."""

    port: int
    replica_ports: list[int]
    address: str = "127.0.0.1"
    remote: list[str] = field(default_factory=list)
    app: str = "Home.py"
    cwd: Path = REPO
    flags: tuple[str, ...] = ()
    log: IO | None = None
    warm: bool = True  # one page opened on each replica once it is healthy
    replicas: list[Replica] = field(default_factory=list)
    proxy: subprocess.Popen | None = None
    run_dir: Path | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        self.run_dir = Path(tempfile.mkdtemp(prefix="unrolled-serve-"))
        self.run_dir.chmod(0o755)  # nginx's workers drop root and read the static copy
        self.replicas = [
            Replica(p, self.app, self.cwd, self.flags) for p in self.replica_ports
        ]  # fmt: skip
        for replica in self.replicas:
            replica.start(self.log)
        prepare_static(self.run_dir / "www")
        upstreams = [r.upstream for r in self.replicas] + list(self.remote)
        config = self.run_dir / "nginx.conf"
        listen = f"{self.address}:{self.port}"
        config.write_text(nginx_config(listen, upstreams, self.run_dir, upload_limit_mb(self.cwd)))
        for replica in self.replicas:
            wait_healthy(replica.url, replica.process, HEALTH_TIMEOUT_S)
            self.warm_up(replica)
        command = [NGINX, "-e", "stderr", "-p", str(self.run_dir), "-c", str(config)]
        self.proxy = start_logged(command, self.run_dir, None, self.log, "[nginx]")
        wait_healthy(self.url, self.proxy, 20)

    def restart(self, index: int) -> None:
        """Stop one replica and start it again; the proxy skips it meanwhile."""
        replica = self.replicas[index]
        replica.stop()
        replica.start(self.log)
        wait_healthy(replica.url, replica.process, HEALTH_TIMEOUT_S)
        self.warm_up(replica)

    def warm_up(self, replica: Replica) -> None:
        """A page opened on ``replica`` (it starts the torch preload before students come)."""
        if not self.warm:
            return
        from explainer.serve.warm import warm_up  # the websocket client, only when warming

        out = self.log or sys.stdout
        out.write(f"[serve] replica on port {replica.port}: {warm_up(replica.url)}\n")
        out.flush()

    def pids(self) -> list[int]:
        """Process ids of the live replicas (for memory figures)."""
        return [r.process.pid for r in self.replicas if r.alive()]

    def stop(self) -> None:
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.send_signal(signal.SIGQUIT)  # nginx's graceful shutdown
            try:
                self.proxy.wait(timeout=5)
            except subprocess.TimeoutExpired:
                stop_process(self.proxy)
        for replica in self.replicas:
            replica.stop()
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
