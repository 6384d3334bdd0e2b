/* A refused form's error summary (templates/_error_summary.html) takes the focus once the
   page is loaded, so a screen reader reads it first and the keyboard starts from it; each
   of its links moves the focus to the field it names (not only the scroll). */
(function () {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    const id = link && link.getAttribute("href").slice(1);
    // A group of radios is named by its first button (id_<name>_0).
    const field = id && (document.getElementById(id) || document.getElementById(id + "_0"));
    if (field) {
      if (!field.matches("input, select, textarea, button, a[href], [tabindex]")) {
        field.setAttribute("tabindex", "-1");  // a section: reached, and read from there
      }
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();
