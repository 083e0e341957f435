// Co-assessment coding page: select words in the text with the mouse or a finger, and the segment form's
// "From character" and "To character" fill in. A progressive enhancement: without this script the words are
// copied or the characters typed, as before. Each line of the text is a <span data-at="N"> whose first
// character is character N of the material, so the numbers match the stored text exactly.
document.addEventListener("DOMContentLoaded", function () {
  var text = document.querySelector("[data-span-text]");
  var form = document.querySelector("[data-segment-form]");
  if (!text || !form || !window.getSelection) { return; }
  var start = form.querySelector("[name='segment-start']");
  var end = form.querySelector("[name='segment-end']");
  var words = form.querySelector("[name='segment-words']");
  var button = form.querySelector("[data-mark-selection]");
  var status = form.querySelector("[data-selection-status]");
  if (!start || !end || !button || !status) { return; }
  var chosen = null;

  // The character number of a point in the text (a node and an offset in it), or null outside the text.
  function position(node, offset) {
    if (!text.contains(node)) { return null; }
    var line = node.nodeType === 1 ? node : node.parentElement;
    line = line && line.closest("[data-at]");
    if (line && text.contains(line)) {
      var at = parseInt(line.getAttribute("data-at"), 10);
      if (node.nodeType === 3) { return at + offset; }
      // A point between the line's children: before its only text node, or after it.
      return offset === 0 ? at : at + line.textContent.length;
    }
    // A point between lines, in the paragraph itself: at the start of the next line, or the end of the last.
    var lines = text.querySelectorAll("[data-at]");
    var after = node === text ? text.childNodes[offset] : null;
    while (after && !(after.nodeType === 1 && after.hasAttribute("data-at"))) { after = after.nextSibling; }
    if (after) { return parseInt(after.getAttribute("data-at"), 10); }
    var last = lines[lines.length - 1];
    return last ? parseInt(last.getAttribute("data-at"), 10) + last.textContent.length : null;
  }

  // The text as stored: each line at its number, a line break in each gap between them.
  function stored() {
    var out = "";
    text.querySelectorAll("[data-at]").forEach(function (line) {
      var at = parseInt(line.getAttribute("data-at"), 10);
      while (out.length < at) { out += "\n"; }
      out += line.textContent;
    });
    return out;
  }

  function read() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    var from = position(range.startContainer, range.startOffset);
    var to = position(range.endContainer, range.endOffset);
    if (from === null || to === null || to <= from) { return; }
    // Leave out spaces and line breaks picked up at either end (a double click or a finger often takes them).
    var picked = stored().slice(from, to);
    var lead = picked.length - picked.replace(/^\s+/, "").length;
    var trail = picked.length - picked.replace(/\s+$/, "").length;
    if (from + lead >= to - trail) { return; }
    chosen = { from: from + lead, to: to - trail, words: picked.trim().replace(/\s+/g, " ") };
    start.value = chosen.from;
    end.value = chosen.to;
    if (words) { words.value = ""; }
    status.textContent = status.getAttribute("data-template")
      .replace("%(from)s", chosen.from).replace("%(to)s", chosen.to).replace("%(words)s", chosen.words);
  }

  // Mouse, finger and keyboard selections all end in a selection change.
  document.addEventListener("selectionchange", read);
  button.closest("[data-mark-selection-row]").hidden = false;
  button.addEventListener("click", function () {
    read();
    if (!chosen) {
      status.textContent = status.getAttribute("data-empty");
      return;
    }
    var who = form.querySelector("[name='segment-participant']");
    if (who) { who.focus(); }
  });
});
