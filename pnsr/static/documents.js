/* The documents page while a version is being produced, or its editable copies (ODT,
   DOCX: made after its PDF) prepared: instead of reloading the whole page (which moved the
   focus and the reading position every few seconds), ask for the list alone
   (documents:status) every 5 seconds, put it in place, and say in the page's polite live
   region (#documents-status) what is now ready or failed. Stops once nothing is pending,
   or after 5 minutes (the live region then says to reload). */
(function () {
  "use strict";
  const status = document.getElementById("documents-status");
  const list = document.getElementById("documents-list");
  if (!status || !list || (list.dataset.pending !== "1" && list.dataset.copies !== "1")) { return; }
  const DELAY = 5000;
  const TRIES = 60;
  let tries = 0;

  function states(root) {
    const found = {};
    root.querySelectorAll("section[id]").forEach(function (section) {
      // The latest version's state: its badge (en cours, échec) or its PDF's link; and
      // whether its editable copies are being prepared.
      const state = section.querySelector("tbody tr td:nth-child(2) :is(.fr-badge, a)");
      found[section.id] = {
        title: section.querySelector("h2").textContent.trim(),
        state: state ? state.textContent.trim() : "",
        copies: section.querySelector("tbody tr:first-child .copies-pending") !== null,
      };
    });
    return found;
  }

  function refresh() {
    tries += 1;
    fetch(status.dataset.url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("documents-list");
        if (!fresh) { throw new Error("no list"); }
        const before = states(list);
        const after = states(fresh);
        const wasPending = list.dataset.pending === "1";
        const focused = document.activeElement && document.activeElement.closest("section[id]");
        list.replaceChildren.apply(list, Array.from(fresh.childNodes));
        list.dataset.pending = fresh.dataset.pending;
        list.dataset.copies = fresh.dataset.copies;
        if (focused) {  // the focus stays in its section, not lost to the body
          const again = document.getElementById(focused.id);
          const target = again && again.querySelector("a, button");
          if (target) { target.focus(); }
        }
        const changed = Object.keys(after).filter(function (id) {
          return before[id] && before[id].state !== after[id].state;
        }).map(function (id) { return after[id].title + " : " + after[id].state; });
        const copiesReady = Object.keys(after).filter(function (id) {
          return before[id] && before[id].copies && !after[id].copies;
        }).map(function (id) { return after[id].title; });
        const pending = fresh.dataset.pending === "1";
        let message = "";
        if (changed.length) {
          message = pending
            ? "Mis à jour : " + changed.join(" ; ") + ". Production en cours pour les autres."
            : "Production terminée. " + changed.join(" ; ");
        } else if (wasPending && !pending) {
          message = "Production terminée.";
        }
        if (copiesReady.length) {
          message += (message ? " " : "") + "Version modifiable (ODT, DOCX) prête : " + copiesReady.join(" ; ") + ".";
        }
        if (message) { status.textContent = message; }
        if (pending || fresh.dataset.copies === "1") { later(); }
      })
      .catch(function () {
        status.textContent = "L'état des documents n'a pas pu être mis à jour : rechargez la page.";
      });
  }

  function later() {
    if (tries >= TRIES) {
      status.textContent = "La production est plus longue que prévu : rechargez la page pour voir l'état des documents.";
      return;
    }
    setTimeout(refresh, DELAY);
  }

  later();
})();
