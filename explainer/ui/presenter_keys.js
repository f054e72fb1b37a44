// A lecturer's keys, in presenter view and in a lecture.
//
// Scene keys: a clicker's PageDown/PageUp (or the arrows) move to the next or previous scene by
// following the lecture bar's own link. The page's time cursor handles these keys first (on the
// document) and lets them through only at its ends; this listener sits on the window, so it
// hears a key only when no one on the page took it.
//
// Blank screen: `b` or `.` (a clicker's "blank" button sends one of them, as slide software
// takes them) covers the screen in black while the lecturer talks; the next key of any kind
// only uncovers it (it does not also step), so a press in the dark changes nothing.

const SCENE_KEYS = {
  PageDown: "next",
  ArrowRight: "next",
  PageUp: "previous",
  ArrowLeft: "previous",
};
const BLANK_KEYS = ["b", "B", "."];
const MODIFIERS = ["Shift", "Control", "Alt", "Meta"];
const BLANK_ID = "ur-blank";

// keys typed into a field or used by another widget stay theirs
function belongsElsewhere(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  const role = target.getAttribute("role") || "";
  return /slider|spinbutton|combobox|listbox|textbox|radio|tab|menuitem|option|grid/.test(role);
}

function blank() {
  return document.getElementById(BLANK_ID);
}

function cover() {
  const screen = document.createElement("div");
  screen.id = BLANK_ID;
  screen.setAttribute("aria-label", "Screen blanked: press any key");
  screen.setAttribute("role", "status");
  screen.style.cssText = "position: fixed; inset: 0; background: #000; z-index: 2147483647;";
  screen.addEventListener("click", () => screen.remove());
  document.body.appendChild(screen);
}

// first of all listeners (the window, capturing): a blanked screen takes the next key
function onKeyFirst(event) {
  if (MODIFIERS.includes(event.key)) return;
  if (blank()) {
    blank().remove();
  } else if (BLANK_KEYS.includes(event.key) && !event.ctrlKey && !event.metaKey
             && !event.altKey && !belongsElsewhere(event.target)) {
    cover();
  } else {
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
}

function onKey(event) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const where = SCENE_KEYS[event.key];
  if (!where || belongsElsewhere(event.target)) return;
  const link = document.querySelector(`.st-key-lecture_${where} a`);
  if (!link) return;
  event.preventDefault();
  link.click();
}

export default function () {
  const old = window.__unrolledPresenterKeys;
  if (old) {
    window.removeEventListener("keydown", old.first, true);
    window.removeEventListener("keydown", old.last);
  }
  const mine = { first: onKeyFirst, last: onKey };
  window.__unrolledPresenterKeys = mine;
  window.addEventListener("keydown", onKeyFirst, true);
  window.addEventListener("keydown", onKey);
  return () => {
    window.removeEventListener("keydown", onKeyFirst, true);
    window.removeEventListener("keydown", onKey);
    if (window.__unrolledPresenterKeys === mine) delete window.__unrolledPresenterKeys;
    if (blank()) blank().remove();
  };
}
