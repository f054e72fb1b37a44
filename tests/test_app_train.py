"""The train-and-compare page in-process under AppTest: recorded results on load, training on
click, every task, uploads with bad files, deep links; and the sidebar's weights select.
Training in a class (each student's own run, the queue, stop messages, torch preloaded) is in
``test_app_train_class.py``."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer import datasets
from explainer.serve.cluster import upload_limit_mb

pytestmark = pytest.mark.app

PAGE = Path(__file__).resolve().parent.parent / "pages" / "6_Train_and_compare.py"
SMALL = {"tr_T_adding": "10", "tr_hidden": "8"}


def run(**query) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def chart_keys(at: AppTest) -> set[str]:
    return {c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")}


def text(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.error]
    )
    return "\n".join(parts + [c.value for c in at.caption])


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def click_and_finish(at: AppTest, key: str, timeout: float = 120) -> AppTest:
    """Click a training button, wait for this session's job, then rerun as the page's progress
    fragment does when a job ends."""
    at.button(key=key).click().run()
    job = ok(at).session_state["tr_job"]
    assert job.wait(timeout), "training did not finish"
    return ok(at.run())


def test_defaults_show_the_recorded_run_and_the_sweep_without_training():
    at = ok(run())
    assert [t.value for t in at.title] == ["Train and compare"]
    assert "Recorded when the app's trained models were made" in text(at)
    assert [m.label.split(":")[0] for m in at.metric] == ["vanilla RNN", "LSTM", "GRU"]
    assert {"tr_loss", "tr_metric", "tr_grads", "tr_sweep"} <= chart_keys(at)
    assert [b.label for b in at.button] == ["▶ Train", "+1 epoch (100 steps)", "■ Stop",
                                             "↺ Start over"]  # fmt: skip


def test_one_epoch_trains_and_shows_live_results():
    at = run(**SMALL)
    assert "Nothing trained yet" in text(at)
    assert [b.disabled for b in at.button] == [False, False, True, True]
    at.button(key="tr_epoch").click().run()
    job = ok(at).session_state["tr_job"]
    assert at.get("progress") or job.finished  # its place in line or its progress
    assert [b.disabled for b in at.button][:2] == [True, True]
    assert job.wait(120)
    at.run()
    assert "Your run after 100 steps: these numbers are from a partly trained network" in (
        ok(at).warning[0].value
    )
    assert "Recorded" not in text(at) and len(at.metric) == 3 and not at.get("progress")
    loss = json.loads([c for c in at.get("plotly_chart") if c.proto.id.endswith("tr_loss")][0]
                      .proto.spec)  # fmt: skip
    assert max(loss["data"][1]["x"]) == 100
    assert [b.disabled for b in at.button] == [False, False, True, False]
    at.button(key="tr_reset").click().run()
    assert "Nothing trained yet" in ok(at).info[0].value


@pytest.mark.parametrize(
    "label, task", [("copy task", "copy"), ("character model", "chars"),
                    ("forecasting", "series"), ("sentiment", "reviews")],
)  # fmt: skip
def test_every_task_renders(label, task):
    at = ok(run(tr_task=label))
    assert at.selectbox(key="tr_task").value == label
    if task != "copy":
        assert at.radio(key=f"tr_data_{task}").value


def test_a_char_model_on_the_zen_of_python_trains_and_writes():
    at = run(
        tr_task="character model", tr_data_chars="Zen of Python", tr_hidden="8", tr_T_chars="16"
    )
    click_and_finish(at, "tr_epoch")
    assert "What each model writes" in text(at)
    written = [c for c in at.code if not c.value.startswith("?")]  # not the scene link
    assert len(written) == 3 and all(c.value.startswith("the ") for c in written)


def test_own_text_messages():
    at = ok(run(tr_task="character model", tr_data_chars="your own text"))
    assert "Paste a text or upload a file" in text(at)
    at.text_area(key="tr_text").input("too short").run()
    assert "at least 200" in ok(at).error[0].value
    at.file_uploader[0].set_value(("x.txt", b"\x00\x01binary\x00", "text/plain")).run()
    assert "binary" in ok(at).error[0].value


BAD_CSV = {
    "empty.csv": (b"", "the file is empty"),
    "image.csv": (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    "columns.csv": (b"review,score\n" + b"fine,1\n" * 30, "must name the columns text and label"),
    "few.csv": (b"text,label\n" + b"fine,pos\nbad,neg\n" * 3, "at least 20"),
    "one.csv": (b"text,label\n" + b"fine,pos\n" * 30, "two classes"),
}


@pytest.mark.parametrize("name", list(BAD_CSV))
def test_bad_csv_uploads_get_clear_messages(name):
    data, message = BAD_CSV[name]
    at = run(tr_task="sentiment", tr_data_reviews="your own CSV")
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    ok(at)
    assert at.error and message in at.error[0].value and "cannot be used" in at.error[0].value
    assert not at.button and at.get("plotly_chart")  # no training, the sweep stays


def test_an_uploaded_csv_trains():
    rows = "".join(f"movie {k} was {'great fun' if k % 2 else 'dull and slow'},{k % 2}\n"
                   for k in range(40))  # fmt: skip
    at = run(tr_task="sentiment", tr_data_reviews="your own CSV", tr_hidden="8")
    at.file_uploader[0].set_value(("mine.csv", ("text,label\n" + rows).encode(), "text/csv"))
    at.run()
    assert "40 rows; labels: 0 (20), 1 (20)" in text(ok(at))
    at = click_and_finish(at, "tr_epoch")
    # the held-out reviews (each chart's own "Numbers as a table" is built when opened)
    assert len(at.dataframe) == 1


def test_junk_in_the_url_falls_back_to_defaults():
    at = ok(run(tr_task="nope", tr_lr="abc", tr_T_adding="9999", tr_clip="-1"))
    assert at.selectbox(key="tr_task").value == "adding problem"
    assert at.select_slider(key="tr_lr").value == "0.01"


def sidebar_script():
    import streamlit as st

    from explainer import ui

    cfg = ui.sidebar_config(cell="lstm", weights_default="char-lstm")
    st.markdown(f"weights={cfg.weights} cell={cfg.cell}")


def test_the_weights_select_offers_compatible_models():
    at = AppTest.from_function(sidebar_script, default_timeout=30).run()
    ok(at)
    select = at.selectbox(key="weights")
    assert select.options == ["random", "char-lstm"]
    # the model's own H, on a slider that cannot move
    shown = at.slider(key="trained_H")
    assert select.value == "char-lstm" and shown.disabled and shown.value == 32
    assert any("trained at H = 32" in c.value for c in at.caption)
    at.radio(key="source").set_value("adding").run()
    assert ok(at).selectbox(key="weights").options == ["random", "adding-lstm"]
    at.radio(key="source").set_value("sine").run()
    assert ok(at).selectbox(key="weights").value == "random"
    assert "weights=random cell=lstm" in at.markdown[-1].value


def test_opening_the_page_never_imports_torch():
    # the page's own code imports torch only to train (the server's background preload is off)
    code = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({str(PAGE)!r}, default_timeout=60).run(); "
        "print(len(at.exception), 'torch' in sys.modules)"
    )
    env = {**os.environ, "UNROLLED_PRELOAD_TORCH": "0"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split()[-2:] == ["0", "False"]


UPLOADS = {  # (task, data choice, the file's limit in explainer.datasets)
    "chars": ("character model", "your own text", datasets.MAX_TEXT_BYTES),
    "reviews": ("sentiment", "your own CSV", datasets.MAX_CSV_BYTES),
}


@pytest.mark.parametrize("task", list(UPLOADS))
def test_upload_texts_and_limits_agree_with_datasets_and_the_server(task):
    label, choice, limit = UPLOADS[task]
    at = ok(run(tr_task=label, **{f"tr_data_{task}": choice}))
    proto = at.file_uploader[0].proto
    server_mb = upload_limit_mb()
    assert f"up to {datasets.size_label(limit)}" in proto.label
    # no override of the server's limit, or one that agrees with it
    assert proto.max_upload_size_mb in (0, server_mb)
    # one limit: the label's, the widget's (server MB are 2**20 bytes) and the check's
    assert limit == server_mb * 2**20
    assert datasets.size_label(limit) == streamlit_size_display(server_mb * 2**20)
    assert datasets.size_label(200_000) == "200 kB" and datasets.size_label(1_000_000) == "1 MB"


def streamlit_size_display(n_bytes: int) -> str:
    """The uploader's "… per file" text as streamlit 1.67's front end writes it (base 1000 off
    Windows, a unit up past half of the next, no decimals), with a space before the unit."""
    units, value = ["B", "KB", "MB", "GB"], float(n_bytes)
    k = 0
    while k < 3 and value > 500:
        value, k = value / 1000, k + 1
    return f"{value:.0f} {units[k].replace('KB', 'kB')}"
