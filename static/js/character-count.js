// A live count under each text box with a limit (data-character-limit), as GOV.UK's character
// count does: the limit is stated and the server refuses a longer text with the text kept; nothing
// is ever cut.
(function () {
  "use strict";
  var format = new Intl.NumberFormat("en");

  function describe(left) {
    if (left >= 0) return "You have " + format.format(left) + " character" + (left === 1 ? "" : "s") + " left";
    var over = -left;
    return "You have " + format.format(over) + " character" + (over === 1 ? "" : "s") + " too many";
  }

  document.querySelectorAll("textarea[data-character-limit]").forEach(function (box) {
    var limit = parseInt(box.dataset.characterLimit, 10);
    var count = document.createElement("p");
    count.className = "character-count meta";
    count.id = box.id + "_count";
    count.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", count);
    function update() {
      var left = limit - box.value.length;
      count.textContent = describe(left);
      count.classList.toggle("error", left < 0);
    }
    box.addEventListener("input", update);
    update();
  });
})();
