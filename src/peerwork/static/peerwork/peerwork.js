// Peerwork's only script: small progressive enhancements. Every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary so screen-reader and keyboard users hear what went wrong.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  // Submit the language and organisation switchers as soon as a choice is made.
  document.querySelectorAll(".language-form select, #switch-organisation").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
