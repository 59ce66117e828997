// Reactions without a reload. Without JS the same forms post and the page reloads.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reaction-form") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    // The CSRF token is the form's own hidden field (the cookie is HttpOnly).
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("reaction refused"); }
      return response.json();
    }).then(function (data) {
      button.setAttribute("aria-pressed", data.reacted ? "true" : "false");
      button.querySelector(".reaction-count").textContent = String(data.count);
    }).catch(function () {
      form.submit();
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
