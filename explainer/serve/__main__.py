"""``python -m explainer.serve``: streamlit replicas behind nginx, supervised in the foreground.

One replica per core on loopback ports after ``--port``; nginx on ``--port``. The supervisor
restarts a replica that exits or stops answering its health check; SIGHUP restarts the replicas
one at a time (a new version of the app, no dropped class); Ctrl-C or SIGTERM stops everything.
``--upstream host:port`` adds replicas running on other machines to the proxy's list.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from explainer.serve.cluster import Cluster, healthy

CHECK_EVERY_S = 2.0
UNHEALTHY_CHECKS = 3  # a replica that misses this many health checks in a row is restarted


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m explainer.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=8501, help="the proxy's port (default 8501)")
    parser.add_argument("--address", default="0.0.0.0", help="the proxy's address")
    parser.add_argument(
        "--replicas", type=int, default=os.cpu_count() or 1, help="local replicas (default: cores)"
    )
    parser.add_argument(
        "--upstream", action="append", default=[], metavar="HOST:PORT",
        help="a replica on another machine (repeat for each)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.replicas < 0 or (args.replicas == 0 and not args.upstream):
        parser.error("give at least one local replica or one --upstream")
    return args


def restart(cluster: Cluster, k: int) -> None:
    """Restart replica k; one that does not come up is tried again at the next check."""
    try:
        cluster.restart(k)
    except RuntimeError as err:
        print(f"[serve] replica {k} did not come back: {err}", flush=True)


def supervise(cluster: Cluster) -> None:
    """Keep every replica alive until SIGTERM/SIGINT; SIGHUP restarts them one at a time."""
    rolling = []
    signal.signal(signal.SIGHUP, lambda *_: rolling.append(True))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    misses = [0] * len(cluster.replicas)
    while cluster.proxy is not None and cluster.proxy.poll() is None:
        time.sleep(CHECK_EVERY_S)
        if rolling:
            rolling.clear()
            for k, replica in enumerate(cluster.replicas):
                print(f"[serve] restarting replica {k} (port {replica.port})", flush=True)
                restart(cluster, k)
        for k, replica in enumerate(cluster.replicas):
            misses[k] = 0 if replica.alive() and healthy(replica.url, 5.0) else misses[k] + 1
            if not replica.alive() or misses[k] >= UNHEALTHY_CHECKS:
                print(f"[serve] replica {k} (port {replica.port}) is down: restarting", flush=True)
                restart(cluster, k)
                misses[k] = 0
    print("[serve] nginx exited: stopping", flush=True)


def main(argv: list[str]) -> None:
    args = parse(argv)
    ports = [args.port + 1 + k for k in range(args.replicas)]
    cluster = Cluster(args.port, ports, address=args.address, remote=args.upstream)
    try:
        cluster.start()
        print(
            f"[serve] {cluster.url}: nginx in front of {len(ports)} local replicas "
            f"(ports {', '.join(map(str, ports)) or '-'}) and {len(args.upstream)} remote; "
            f"replica pids {cluster.pids()}; supervisor pid {os.getpid()} "
            "(SIGHUP: rolling restart)",
            flush=True,
        )
        supervise(cluster)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
