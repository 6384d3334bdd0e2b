/* swagger-ui puts a link (its deep link to the operation) inside the button that opens an
   operation: a control within a control, which keyboards and screen readers reach twice
   and announce badly (RGAA 7.1, WCAG 4.1.2). The button alone stays: the link loses its
   href, so it is plain text inside the button. A parameter's field, in « Try it out »,
   has no label: it is named after its parameter (RGAA 11.1). */
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  if (!root) { return; }
  function unnest() {
    root.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
      link.removeAttribute("href");
    });
    root.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      row.querySelectorAll("select, input, textarea").forEach(function (field) {
        if (!field.labels.length && !field.getAttribute("aria-label")) {
          field.setAttribute("aria-label", row.dataset.paramName);
        }
      });
    });
  }
  new MutationObserver(unnest).observe(root, { childList: true, subtree: true });
  unnest();
})();
