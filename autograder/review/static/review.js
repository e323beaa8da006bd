// Keyboard grading of one answer group. Every action posts JSON with the CSRF token and the version it was
// based on; the server answers only after committing. A 409 shows both versions and nothing is overwritten.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const help = document.getElementById("help");
  const stateTag = document.getElementById("state");
  let state = stateTag ? JSON.parse(stateTag.textContent) : null;
  let lastFocus = null;

  function showHelp() { lastFocus = document.activeElement; help.hidden = false; help.focus(); }
  function hideHelp() { help.hidden = true; if (lastFocus && lastFocus.focus) lastFocus.focus(); }
  document.getElementById("help-close").addEventListener("click", hideHelp);

  async function post(url, data) {
    const response = await fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}, body: JSON.stringify(data)});
    let body = {};
    try { body = await response.json(); } catch (e) { body = {error: "the server did not answer with JSON"}; }
    return {status: response.status, body: body};
  }

  const status = document.getElementById("status");
  const conflict = document.getElementById("conflict");
  function say(text) { if (status) status.textContent = text; }

  function describe(s) {
    const names = (s.items || []).map(id => "item " + (state.rubric.findIndex(i => i.id === id) + 1)).join(", ");
    return (s.score !== undefined ? s.score + " points" : "") + " [" + (names || "no items") + "]" +
      (s.comment ? ", comment “" + s.comment + "”" : "") + (s.adjust ? ", adjustment " + s.adjust : "") +
      (s.grader ? " by " + s.grader : "");
  }

  function apply(s) {
    state.version = s.version; state.items = s.items; state.graded = s.graded;
    state.comment = s.comment; state.adjust = s.adjust; state.reason = s.reason;
    document.querySelectorAll("input.item").forEach(box => { box.checked = s.items.includes(Number(box.dataset.item)); });
    document.getElementById("comment").value = s.comment;
    document.getElementById("adjust").value = s.adjust;
    document.getElementById("reason").value = s.reason;
    document.getElementById("score").textContent = s.score;
  }

  // Actions run one after another, each on the state the previous one left: fast key presses never race.
  let pending = Promise.resolve();
  function queue(work) { pending = pending.then(work, work); return pending; }

  function saveGrade(items) { return queue(() => sendGrade(typeof items === "function" ? items() : items)); }

  async function sendGrade(items) {
    const mine = {group: state.group, version: state.version, items: items,
      comment: document.getElementById("comment").value, adjust: Number(document.getElementById("adjust").value || 0),
      reason: document.getElementById("reason").value};
    const result = await post("/api/grade", mine);
    if (result.status === 200) {
      conflict.hidden = true; apply(result.body);
      say("Saved: " + result.body.score + " points (version " + result.body.version + ")");
    } else if (result.status === 409) {
      const theirs = result.body.current;
      conflict.hidden = false;
      conflict.textContent = "Conflict: another grader changed this answer first; your change was not saved. " +
        "Your version: " + describe({items: mine.items, comment: mine.comment, adjust: mine.adjust}) +
        ". Their version (now shown): " + describe(theirs) + ". Redo your change if it still applies.";
      apply(theirs);
      say("Not saved: conflict");
    } else {
      say("Not saved: " + (result.body.error || result.status));
    }
  }

  function currentItems() {
    return Array.from(document.querySelectorAll("input.item")).filter(b => b.checked).map(b => Number(b.dataset.item));
  }

  function toggle(index) {
    const item = state.rubric[index];
    if (!item) { say("There is no rubric item " + (index + 1)); return; }
    saveGrade(() => state.items.includes(item.id) ? state.items.filter(i => i !== item.id) : state.items.concat([item.id]));
  }

  async function editRubric(form, remove) {
    const id = form.dataset.item;
    const data = {question: state.question, rubric_version: state.rubric_version, item: id ? Number(id) : null,
      text: form.elements.text.value, points: Number(form.elements.points.value), delete: remove};
    const result = await post("/api/rubric", data);
    if (result.status === 200) { window.location.reload(); }
    else if (result.status === 409) {
      conflict.hidden = false;
      conflict.textContent = "Conflict: another grader edited the rubric first; your edit was not saved. Reload to see it.";
    } else { say("Rubric not changed: " + (result.body.error || result.status)); }
  }

  if (state) {
    document.querySelectorAll("input.item").forEach(box => box.addEventListener("change", () => saveGrade(currentItems)));
    document.getElementById("save").addEventListener("click", () => saveGrade(() => state.items));
    document.getElementById("saved").addEventListener("change", event => {
      if (event.target.value) { document.getElementById("comment").value = event.target.value; saveGrade(() => state.items); }
    });
    document.getElementById("save-comment").addEventListener("click", saveComment);
    document.querySelectorAll("form.edit-item").forEach(form => {
      form.addEventListener("submit", event => { event.preventDefault(); editRubric(form, false); });
      const del = form.querySelector(".delete-item");
      if (del) del.addEventListener("click", () => editRubric(form, true));
    });
    document.querySelectorAll("button.split").forEach(button => button.addEventListener("click", async () => {
      const result = await post("/api/split", {answer: Number(button.dataset.answer)});
      if (result.status === 200) window.location.reload(); else say("Not split: " + (result.body.error || result.status));
    }));
    ["comment", "adjust", "reason"].forEach(id => document.getElementById(id).addEventListener("keydown", event => {
      if (event.key === "Enter") { event.preventDefault(); saveGrade(() => state.items); event.target.blur(); }
    }));
  }

  async function saveComment() {
    const text = document.getElementById("comment").value;
    const result = await post("/api/comment", {question: state.question, text: text});
    if (result.status !== 200) { say("Not saved: " + (result.body.error || result.status)); return; }
    const select = document.getElementById("saved");
    select.querySelectorAll("option:not([value=''])").forEach(o => o.remove());
    result.body.comments.forEach(c => { const o = document.createElement("option"); o.textContent = c; select.appendChild(o); });
    say("Comment saved for reuse");
  }

  function go(id) {
    const link = document.getElementById(id);
    if (link) queue(() => window.location.assign(link.href));  // after every pending save is acknowledged
  }

  document.addEventListener("keydown", event => {
    if (event.key === "Escape") {
      if (!help.hidden) { hideHelp(); return; }
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      return;
    }
    if (!help.hidden && event.key === "Tab") { event.preventDefault(); document.getElementById("help-close").focus(); return; }
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) && target.type !== "checkbox")) return;
    if (event.key === "?") { event.preventDefault(); showHelp(); return; }
    if (!state) return;
    if (/^[0-9]$/.test(event.key)) { event.preventDefault(); toggle(event.key === "0" ? 9 : Number(event.key) - 1); return; }
    const keys = {
      "j": () => go("next"), "ArrowRight": () => go("next"), "ArrowDown": () => go("next"),
      "k": () => go("prev"), "ArrowLeft": () => go("prev"), "ArrowUp": () => go("prev"),
      "n": () => go("next-ungraded"),
      "c": () => document.getElementById("comment").focus(),
      "r": () => document.getElementById("saved").focus(),
      "s": () => saveComment(),
      "a": () => document.getElementById("adjust").focus(),
      "e": () => { const d = document.getElementById("rubric-edit"); d.open = true; d.querySelector("input").focus(); },
      "Enter": () => saveGrade(() => state.items),
    };
    if (keys[event.key]) {
      if (event.key === "Enter" && target && (target.tagName === "A" || target.tagName === "BUTTON" || target.tagName === "SUMMARY")) return;
      event.preventDefault(); keys[event.key]();
    }
  });
})();
