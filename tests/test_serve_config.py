"""The class-ready settings in .streamlit/config.toml and the proxy config the launcher writes."""

import math
import subprocess
import tomllib
from pathlib import Path

import pytest

from explainer import datasets
from explainer.serve.cluster import NGINX, nginx_config, upload_limit_mb
from tests.conftest import REPO

CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_serving_settings_are_the_defaults():
    # what a class needs, in the file plain `streamlit run Home.py` reads
    assert CONFIG["runner"]["postScriptGC"] is False
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False
    assert CONFIG["server"]["headless"] is True
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_upload_limit_is_the_smallest_that_takes_every_accepted_file():
    # the server's limit (MiB) admits the largest file the app's checks accept, and no more
    largest = max(datasets.MAX_TEXT_BYTES, datasets.MAX_CSV_BYTES)
    assert upload_limit_mb() == math.ceil(largest / 2**20)


def test_make_dev_turns_auto_reload_back_on():
    dry = subprocess.run(
        ["make", "-n", "dev"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "--server.fileWatcherType auto" in dry and "--server.runOnSave true" in dry


def test_proxy_config_lists_every_replica_and_nginx_accepts_it(tmp_path):
    text = nginx_config("127.0.0.1:9", ["127.0.0.1:10", "10.0.0.7:8501"], tmp_path, 1)
    assert "@" not in text.replace("$", "")  # every placeholder filled
    assert "server 127.0.0.1:10 max_fails" in text and "server 10.0.0.7:8501 max_fails" in text
    assert "hash $replica_key consistent" in text
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: run `make test`, which installs Debian's nginx-light")
    (tmp_path / "nginx.conf").write_text(text)
    checked = subprocess.run(
        [NGINX, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_launcher_needs_a_replica_somewhere():
    from explainer.serve.__main__ import parse

    assert parse([]).replicas >= 1
    assert parse(["--replicas", "0", "--upstream", "10.0.0.7:8501"]).upstream == ["10.0.0.7:8501"]
    with pytest.raises(SystemExit):
        parse(["--replicas", "0"])


def test_the_front_end_is_served_precompressed(tmp_path):
    import gzip

    from explainer.serve.cluster import prepare_static

    prepare_static(tmp_path)
    plotly = next((tmp_path / "static" / "js").glob("PlotlyChart.*.js"))
    packed = plotly.with_suffix(".js.gz").read_bytes()
    assert gzip.decompress(packed) == plotly.read_bytes()
    assert len(packed) < plotly.stat().st_size / 2
