// Reactions without a reload. Without JS the same form posts (the pressed button names the kind)
// and the page reloads.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList || !form.classList.contains("reaction-form") || !window.fetch) { return; }
    if (!button || button.name !== "kind") { return; }
    event.preventDefault();
    button.disabled = true;
    // The CSRF token is the form's own hidden field (the cookie is HttpOnly).
    var body = new FormData(form);
    body.append("kind", button.value);
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("reaction refused"); }
      return response.json();
    }).then(function (data) {
      button.setAttribute("aria-pressed", data.reacted ? "true" : "false");
      button.querySelector(".reaction-count").textContent = String(data.count);
    }).catch(function () {
      // Post the ordinary way, naming the kind the button would have sent.
      var kind = document.createElement("input");
      kind.type = "hidden";
      kind.name = "kind";
      kind.value = button.value;
      form.appendChild(kind);
      form.submit();
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
