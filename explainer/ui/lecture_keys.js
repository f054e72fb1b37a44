// Scene keys in a lecture: a clicker's PageDown/PageUp (or the arrows) move to the next or
// previous scene by following the lecture bar's own link. The page's time cursor handles the
// keys first (on the document) and lets them through only at its ends; this listener sits on
// the window, so it hears a key only when no one on the page took it.

const SCENE_KEYS = {
  PageDown: "next",
  ArrowRight: "next",
  PageUp: "previous",
  ArrowLeft: "previous",
};

// keys typed into a field or used by another widget stay theirs
function belongsElsewhere(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  const role = target.getAttribute("role") || "";
  return /slider|spinbutton|combobox|listbox|textbox|radio|tab|menuitem|option|grid/.test(role);
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
  const old = window.__unrolledSceneKeys;
  if (old) window.removeEventListener("keydown", old);
  window.__unrolledSceneKeys = onKey;
  window.addEventListener("keydown", onKey);
  return () => {
    window.removeEventListener("keydown", onKey);
    if (window.__unrolledSceneKeys === onKey) delete window.__unrolledSceneKeys;
  };
}
