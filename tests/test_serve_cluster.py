"""The replicated setup on loopback: nginx in front of two streamlit replicas, started here."""

import random
import time
import urllib.request
from pathlib import Path

import pytest
import websockets

from explainer.serve.cluster import NGINX, Cluster, healthy
from explainer.serve.students import Student, Tally, run_sync
from tests.conftest import REPO, free_port

pytestmark = pytest.mark.serve
PAGE = "Unrolled_RNN"


@pytest.fixture(scope="module")
def cluster():
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: run `make test`, which installs Debian's nginx-light")
    (REPO / "test-results").mkdir(exist_ok=True)
    with open(REPO / "test-results" / "serve-cluster.log", "w") as log:
        c = Cluster(free_port(), [free_port(), free_port()], log=log)
        try:
            c.start()
            yield c
        finally:
            c.stop()


def first_load(url: str, cookie: str | None = None) -> tuple[str, str]:
    """(the replica cookie the proxy set, the replica that answered) for one page load."""
    request = urllib.request.Request(f"{url}/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        replica = [c for c in cookies if c.startswith("unrolled_replica=")]
        return replica[0], response.headers["X-Unrolled-Replica"]


async def opened(url: str, seed: int, cookie: str | None = None) -> Student:
    student = Student(url, Tally(), random.Random(seed), PAGE)
    student.cookie = cookie
    await student.connect()
    assert await student.rerun("", PAGE) is not None, student.tally.messages
    return student


def test_health_endpoint_through_the_proxy_and_on_every_replica(cluster):
    assert healthy(cluster.url)
    assert all(healthy(r.url) for r in cluster.replicas)


def test_every_replica_is_warmed_up_and_preloads_torch_before_students_come(cluster):
    log = REPO / "test-results" / "serve-cluster.log"
    text = log.read_text()
    for replica in cluster.replicas:  # the warm-up visit ran a page on each, before nginx
        assert f"replica on port {replica.port}: warmed up" in text, text[-2000:]
    deadline = time.monotonic() + 60  # the preload waits 3 s, then imports torch
    while log.read_text().count("unrolled: torch preloaded") < len(cluster.replicas):
        assert time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.5)


def test_new_students_spread_and_a_cookie_pins_each_to_one_replica(cluster):
    upstreams = {r.upstream for r in cluster.replicas}
    seen = {first_load(cluster.url)[1] for _ in range(16)}
    assert seen == upstreams  # all loopback students share one address, yet both replicas serve
    cookie, replica = first_load(cluster.url)
    assert {first_load(cluster.url, cookie)[1] for _ in range(10)} == {replica}


def test_a_session_stays_on_its_replica_across_reruns_and_reconnects(cluster):
    async def go():
        cookie, replica = first_load(cluster.url)
        student = await opened(cluster.url, 1, cookie)
        assert student.replica == replica
        for _ in range(5):
            assert await student.change() is not None, student.tally.messages
        await student.ws.close()
        for _ in range(3):  # a reconnecting tab keeps its cookie, so its replica
            again = await opened(cluster.url, 2, cookie)
            assert again.replica == replica
            await again.ws.close()
        assert student.tally.errors == 0

    run_sync(go())


def test_stopping_one_replica_keeps_the_other_replicas_sessions(cluster):
    stopped, kept = cluster.replicas

    async def go():
        students = []
        for seed in range(40):
            students.append(await opened(cluster.url, seed))
            on = [s.replica for s in students]
            if on.count(stopped.upstream) >= 2 and on.count(kept.upstream) >= 2:
                break
        stopped.stop()
        assert healthy(cluster.url)  # the proxy answers from the replica left
        for student in students:
            if student.replica == kept.upstream:
                for _ in range(3):
                    assert await student.change() is not None, student.tally.messages
                assert student.tally.errors == 0
            else:
                with pytest.raises((websockets.ConnectionClosed, OSError)):
                    await student.change()
                await student.ws.close()
                moved = await opened(cluster.url, 99, student.cookie)  # passive failover
                assert moved.replica == kept.upstream
                await moved.ws.close()
        for student in students:
            await student.ws.close()

    try:
        run_sync(go())
    finally:
        cluster.restart(0)
    assert healthy(stopped.url)
    # the proxy tries it again after fail_timeout (5 s), then new students reach it
    deadline = time.monotonic() + 20
    while stopped.upstream not in {first_load(cluster.url)[1] for _ in range(16)}:
        assert time.monotonic() < deadline, "the restarted replica gets no new students"
        time.sleep(1)
