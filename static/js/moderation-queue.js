// The review queue without page reloads, and with keys: j/k move, a approve, h hide.
// Without this script every decision is a plain form post that reloads the queue.
(function () {
  "use strict";
  var status = document.getElementById("queue-status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  var current = -1;

  function say(message) { status.textContent = message; }

  function focusItem(index) {
    if (index < 0 || index >= items.length) { return; }
    current = index;
    items[index].focus();
  }

  document.querySelectorAll(".decision-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      var data = new FormData(form);
      if (button) { data.set(button.name, button.value); }
      fetch(form.action, {
        method: "POST",
        body: data,
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) { return response.json(); }).then(function (answer) {
        say(answer.message);
        if (answer.ok) {
          var item = document.getElementById(answer.item);
          item.classList.add("decided");
          item.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          focusItem(items.indexOf(item) + 1);
        }
      }).catch(function () { say("The decision could not be sent. Please try again."); });
    });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (["j", "k", "a", "h"].indexOf(event.key) === -1) { return; }
    // The key is a command here: it must not also be typed (e.g. into the reason field "h" focuses).
    event.preventDefault();
    if (event.key === "j") { focusItem(current + 1); }
    else if (event.key === "k") { focusItem(current - 1); }
    else if ((event.key === "a" || event.key === "h") && items[current]) {
      var button = items[current].querySelector('button[data-key="' + event.key + '"]');
      if (!button) { return; }
      if (event.key === "h") {
        var reason = items[current].querySelector('input[name="reason"]');
        if (!reason.value.trim()) { reason.focus(); say("Type a reason, then press Enter on Hide."); return; }
      }
      button.click();
    }
  });
}());
