/* The idle warning: a few minutes before the session ends for want of activity
   (pnsr.sessions), a DSFR modal offers to stay signed in. Before warning it asks the
   server how long is left (another tab may have been used meanwhile); when the time is
   up it reloads the page, which leads to the login page with the reason. */
(function () {
  "use strict";
  const modal = document.getElementById("session-warning");
  if (!modal) { return; }
  const url = modal.dataset.url;
  const warning = Number(modal.dataset.warningSeconds) * 1000;
  const countdown = modal.querySelector("[data-countdown]");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  let deadline = Date.now() + Number(modal.dataset.secondsLeft) * 1000;
  let timer = null;
  let ticking = null;

  function show() {
    if (window.dsfr) { window.dsfr(modal).modal.disclose(); } else { modal.showModal(); }
  }
  function hide() {
    if (window.dsfr) { window.dsfr(modal).modal.conceal(); } else { modal.close(); }
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(deadline - warning - Date.now(), 0));
  }
  function minutes(ms) {
    const total = Math.max(Math.ceil(ms / 1000), 0);
    const m = Math.floor(total / 60);
    const s = total % 60;
    return m ? m + " min " + String(s).padStart(2, "0") + " s" : s + " s";
  }
  function tick() {
    const left = deadline - Date.now();
    countdown.textContent = minutes(left);
    if (left <= 0) { window.location.reload(); }
  }
  function answer(response) {
    const json = response.headers.get("Content-Type") === "application/json";
    if (!response.ok || !json) { window.location.reload(); return null; }
    return response.json();
  }
  function check() {
    fetch(url, { credentials: "same-origin" }).then(answer).then(function (data) {
      if (!data) { return; }
      deadline = Date.now() + data.seconds_left * 1000;
      if (deadline - Date.now() > warning) { schedule(); return; }
      tick();
      clearInterval(ticking);
      ticking = setInterval(tick, 1000);
      show();
    });
  }
  modal.querySelector("[data-stay]").addEventListener("click", function () {
    const headers = csrf ? { "X-CSRFToken": csrf.value } : {};
    fetch(url, { method: "POST", credentials: "same-origin", headers: headers })
      .then(answer)
      .then(function (data) {
        if (!data) { return; }
        clearInterval(ticking);
        hide();
        deadline = Date.now() + data.seconds_left * 1000;
        schedule();
      });
  });
  schedule();
})();
