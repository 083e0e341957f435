// Peerwork's only script: small progressive enhancements. Every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary so screen-reader and keyboard users hear what went wrong.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  // The same after htmx replaces part of a page (a saved contact's confirmation, a form's errors): focus brings
  // it into view and lets a screen reader say it.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var shown = event.target.querySelector && event.target.querySelector("[data-autofocus]");
    if (shown) { shown.focus(); shown.scrollIntoView({ block: "nearest" }); }
  });
  // Submit the language and organisation switchers as soon as a choice is made.
  document.querySelectorAll(".language-form select, #switch-organisation").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // The menu's groups drop down: one open at a time; Escape or a click elsewhere closes them.
  var groups = document.querySelectorAll("[data-nav-group], [data-site-menu]");
  function closeAll(except) {
    groups.forEach(function (group) {
      if (group !== except && !group.contains(except) && group.open) { group.open = false; }
    });
  }
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () { if (group.open) { closeAll(group); } });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.activeElement && document.activeElement.closest("details[open]");
    if (open && (open.matches("[data-nav-group]") || open.matches("[data-site-menu]"))) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-nav-group], [data-site-menu]")) { closeAll(null); }
  });
  // Where the browser cannot lay the menu out in the header, keep it open on wide screens.
  var menu = document.querySelector("[data-site-menu]");
  if (menu && !(window.CSS && CSS.supports("selector(::details-content)"))) {
    var wide = window.matchMedia("(min-width: 40rem)");
    var follow = function () { menu.open = wide.matches; };
    follow();
    wide.addEventListener("change", follow);
  }

  // A table wider than its place becomes one block per row, each cell led by its column's heading (the server
  // writes the headings and roles on the cells; on a narrow screen the stylesheet alone stacks every table).
  // A table that must stay a table sits in a labelled, focusable .table-scroll box.
  var stackable = [];
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.closest(".table-scroll") || table.classList.contains("keep-table")) { return; }
    stackable.push(table);
  });
  var narrow = window.matchMedia("(max-width: 39.99rem)");
  function stack() {
    stackable.forEach(function (table) {
      table.classList.remove("is-stacked");
      var room = table.parentElement.clientWidth;
      if (narrow.matches || table.offsetWidth > room + 1) { table.classList.add("is-stacked"); }
    });
  }
  stack();
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; stack(); });
  });
});
