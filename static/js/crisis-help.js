// While someone writes, show the crisis lines as soon as their words sound like a crisis (the
// moderators' crisis phrases). Nothing is blocked or sent: the help simply appears above the form.
(function () {
  "use strict";
  const box = document.getElementById("crisis-while-typing");
  if (!box) return;
  let phrases = null;

  function load() {
    if (!phrases) {
      phrases = fetch(box.dataset.phrases, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { phrases: [] }))
        .then((data) => data.phrases.map((phrase) => phrase.toLowerCase()))
        .catch(() => []);
    }
    return phrases;
  }

  document.addEventListener("input", async (event) => {
    const field = event.target;
    if (!box.hidden || !(field instanceof HTMLTextAreaElement || field.name === "title")) return;
    const text = field.value.toLowerCase().replace(/\u2019/g, "'");
    if ((await load()).some((phrase) => text.includes(phrase))) box.hidden = false;
  });
})();
