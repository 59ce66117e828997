// Search-as-you-type for the school field. Without JS the "Search schools" button does the same
// with a page load. Replaces the options of the <select> with the matches from the server.
(function () {
  "use strict";
  document.querySelectorAll("[data-school-search-url]").forEach(function (picker) {
    var input = picker.querySelector("input[type=search]");
    var select = picker.querySelector("select");
    var status = picker.querySelector("[data-school-search-status]");
    var url = picker.getAttribute("data-school-search-url");
    var timer = null;
    var latest = 0;
    if (!input || !select) { return; }

    function show(results) {
      var placeholder = select.options[0] && select.options[0].value === "" ? select.options[0].text : "Choose a school";
      select.innerHTML = "";
      select.appendChild(new Option(placeholder, ""));
      results.forEach(function (school) { select.appendChild(new Option(school.label, school.value)); });
      if (results.length === 1) { select.value = results[0].value; }
      // The words come from the page, in its language ("school found", "escuelas encontradas").
      var words = picker.getAttribute(results.length === 1 ? "data-found-one" : "data-found-many");
      if (status) { status.textContent = results.length + " " + words; }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) { return; }
      timer = window.setTimeout(function () {
        var request = ++latest;
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { if (request === latest) { show(data.results); } })
          .catch(function () { /* the button still works */ });
      }, 200);
    });
    // Enter in the search box searches, rather than submitting the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); input.dispatchEvent(new Event("input")); }
    });
  });
})();
