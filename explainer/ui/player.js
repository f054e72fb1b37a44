// The page's time cursor: one transport bar that plays every animated chart of the page in the
// browser (each chart's plotly frame t - 1, no server rerun while playing) and sends t to the
// server when playback stops and after a step, so equations and numbers follow with one rerun.

// keys a keyboard or a presenter's clicker sends, and what each does (one place to extend)
export const KEYS = {
  ArrowRight: "next",
  PageDown: "next",
  ArrowLeft: "previous",
  PageUp: "previous",
  Home: "first",
  End: "last",
  " ": "toggle",
};
const COMMIT_MS = 250; // quiet time after the last step before the server reruns once
const BARS = new WeakMap(); // parentElement -> its bar: the renderer runs again on each rerun
let keyOwner = null; // the bar the keyboard drives (one per page)

const clamp = (t, T) => Math.min(Math.max(Math.round(t) || 1, 1), Math.max(T, 1));

// every animated chart of the page with one frame per step (theme.player's meta.cursor)
function charts(T) {
  return [...document.querySelectorAll(".js-plotly-plot")].filter((gd) => {
    const frames = gd._transitionData && gd._transitionData._frames;
    const cursor = gd.layout && gd.layout.meta && gd.layout.meta.cursor;
    return frames && cursor && frames.length === T;
  });
}

// move every chart to step t; resolves when all have drawn (a failed or interrupted animation,
// e.g. one a newer step cut short, is expected and never an uncaught rejection)
function showStep(t, T) {
  const Plotly = window.Plotly;
  if (!Plotly) return Promise.resolve();
  const moves = charts(T).map((gd) => {
    const frame = gd._transitionData._frames[t - 1];
    const redraw = gd.layout.meta.cursor.redraw !== false;
    try {
      return Promise.resolve(
        Plotly.animate(gd, [frame.name], {
          frame: { duration: 0, redraw },
          transition: { duration: 0 },
          mode: "immediate",
        }),
      ).catch(() => null);
    } catch (err) {
      return Promise.resolve(null);
    }
  });
  return Promise.allSettled(moves);
}

// keys typed into a field or used by another widget (sliders, radios, tabs) stay theirs
function belongsElsewhere(target, bar) {
  if (!(target instanceof Element)) return false;
  if (target === bar.range) return false;
  if (target.isContentEditable) return true;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  const role = target.getAttribute("role") || "";
  return /slider|spinbutton|combobox|listbox|textbox|radio|tab|menuitem|option|grid/.test(role);
}

// space on a button or link presses that button or link
function pressable(target) {
  return target instanceof Element && !!target.closest("button, a, summary, [role=button]");
}

function onKey(event) {
  const bar = keyOwner;
  if (!bar || !bar.root.isConnected) return;
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const action = KEYS[event.key];
  if (!action || belongsElsewhere(event.target, bar)) return;
  if (action === "toggle" && pressable(event.target)) return;
  // in a lecture, a step past either end is the next or previous scene: the key goes on to
  // the lecture's listener (presenter_keys.js, on the window)
  if (action === "next" && bar.t >= bar.T && bar.lecture.next) return;
  if (action === "previous" && bar.t <= 1 && bar.lecture.previous) return;
  event.preventDefault();
  bar.act(action);
}

function listen(bar) {
  keyOwner = bar;
  const old = window.__unrolledCursorKeys;
  if (old && old !== onKey) document.removeEventListener("keydown", old);
  window.__unrolledCursorKeys = onKey;
  document.addEventListener("keydown", onKey); // the same function is never added twice
}

function unlisten(bar) {
  if (keyOwner !== bar) return;
  keyOwner = null;
  document.removeEventListener("keydown", onKey);
  if (window.__unrolledCursorKeys === onKey) delete window.__unrolledCursorKeys;
}

function makeBar(root) {
  const q = (sel) => root.querySelector(sel);
  const bar = {
    root: q(".ur-bar"),
    range: q(".ur-range"),
    playButton: q('[data-act="toggle"]'),
    t: 1,
    T: 1,
    ms: 200,
    lecture: {}, // {previous, next}: scenes a key at either end moves to
    playing: false,
    run: 0, // playback generation: a pause or a new play ends the old loop
    timer: null,
    commitTimer: null,
    sentSeq: 0,
    lastSeq: 0,
    setStateValue: () => {},
  };

  bar.render = () => {
    const { t, T } = bar;
    q(".ur-count").textContent = `t = ${t} / ${T}`;
    bar.range.max = String(T);
    bar.range.value = String(t);
    bar.range.setAttribute("aria-valuetext", `step ${t} of ${T}`);
    bar.playButton.setAttribute("aria-label", bar.playing ? "Pause" : "Play");
    q(".ur-play-text").textContent = bar.playing ? "Pause" : "Play";
    bar.root.classList.toggle("ur-playing", bar.playing);
  };

  // the server reruns once with this t (equations, numbers, other panels)
  bar.commit = () => {
    clearTimeout(bar.commitTimer);
    bar.commitTimer = null;
    const seq = Math.max(Date.now(), bar.lastSeq + 1);
    bar.lastSeq = bar.sentSeq = seq;
    bar.setStateValue("move", { t: bar.t, seq });
  };

  bar.commitSoon = () => {
    clearTimeout(bar.commitTimer);
    bar.commitTimer = setTimeout(bar.commit, COMMIT_MS);
  };

  bar.stop = () => {
    bar.playing = false;
    bar.run += 1;
    clearTimeout(bar.timer);
    bar.timer = null;
  };

  bar.go = (t) => {
    if (bar.playing) bar.stop();
    bar.t = clamp(t, bar.T);
    bar.render();
    showStep(bar.t, bar.T);
    bar.commitSoon();
  };

  bar.pause = () => {
    if (!bar.playing) return;
    bar.stop();
    bar.render();
    bar.commit();
  };

  bar.play = () => {
    if (bar.playing || bar.T < 2) return;
    clearTimeout(bar.commitTimer);
    bar.commitTimer = null;
    if (bar.t >= bar.T) bar.t = 0; // from the end, play again from the start
    bar.playing = true;
    const run = ++bar.run;
    const tick = () => {
      if (run !== bar.run) return;
      bar.t += 1;
      bar.render();
      const started = performance.now();
      showStep(bar.t, bar.T).then(() => {
        if (run !== bar.run) return;
        if (bar.t >= bar.T) return bar.pause();
        const wait = Math.max(0, bar.ms - (performance.now() - started));
        bar.timer = setTimeout(tick, wait);
      });
    };
    tick();
  };

  bar.act = (action) => {
    if (action === "toggle") return bar.playing ? bar.pause() : bar.play();
    if (action === "first") return bar.go(1);
    if (action === "last") return bar.go(bar.T);
    if (action === "next") return bar.go(bar.t + 1);
    if (action === "previous") return bar.go(bar.t - 1);
  };

  // a rerun's t: taken unless playback or a newer step of this bar has not reached the server
  bar.update = (data) => {
    const T = Math.max(1, Number(data.T) || 1);
    const newT = T !== bar.T;
    bar.T = T;
    bar.ms = Number(data.ms) || bar.ms;
    bar.lecture = data.lecture || {};
    q(".ur-label").textContent = data.label || "Step t";
    bar.range.setAttribute("aria-label", data.label || "Step t");
    if (newT) bar.stop();
    const mine = bar.playing || bar.commitTimer !== null || (data.seq || 0) < bar.sentSeq;
    if (newT || !mine) bar.t = clamp(data.t, T);
    bar.render();
  };

  root.querySelectorAll("button[data-act]").forEach((button) => {
    button.addEventListener("click", () => bar.act(button.dataset.act));
  });
  bar.range.addEventListener("input", () => bar.go(Number(bar.range.value)));
  // arrows, Home, End, PageUp/Down on the range go through the page's key handler (PageUp and
  // PageDown move one step, not a tenth of the range)
  return bar;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let bar = BARS.get(parentElement);
  if (!bar || !bar.root.isConnected) {
    bar = makeBar(parentElement);
    BARS.set(parentElement, bar);
  }
  bar.setStateValue = setStateValue; // the latest rerun's
  bar.update(data || {});
  listen(bar);
  return () => {
    bar.stop();
    clearTimeout(bar.commitTimer);
    unlisten(bar);
    BARS.delete(parentElement);
  };
}
