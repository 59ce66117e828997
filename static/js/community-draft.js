// Keeps what a member is writing in localStorage, so a reload, a login redirect or an expired
// session loses nothing. One draft per writer and form: keyed by who is writing (the script tag's
// data-draft-owner) and the form's action path, so on a shared computer one parent never sees
// another's draft. Logging out clears them all (the logout response sends Clear-Site-Data).
(function () {
  "use strict";
  var PREFIX = "community-draft:";
  var SUBMITTED = "community-draft-submitted";
  var VISITOR = "visitor";
  var script = document.currentScript;
  var owner = (script && script.getAttribute("data-draft-owner")) || VISITOR;

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
    });
  }

  function keyOf(form, writer) {
    return PREFIX + writer + ":" + new URL(form.action, window.location.href).pathname;
  }

  function read(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (values[el.name] = values[el.name] || []).push(el.value); }
      } else if (el.value) {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function isEmpty(form) {
    return fields(form).every(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return !el.checked; }
      return !el.value;
    });
  }

  function restore(form, values) {
    fields(form).forEach(function (el) {
      if (!(el.name in values)) { return; }
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = [].concat(value).indexOf(el.value) !== -1;
      } else {
        el.value = value;
      }
    });
    var note = document.createElement("p");
    note.className = "notice draft-restored";
    note.setAttribute("role", "status");
    note.textContent = "We restored the draft you were writing. It has not been posted yet.";
    form.insertBefore(note, form.firstChild);
  }

  var store = storage();
  if (!store) { return; }

  // The server confirmed a post (a "draft-posted" message): the draft kept for it can go.
  var submitted = store.getItem(SUBMITTED);
  if (submitted && document.querySelector(".message-draft-posted, .draft-posted")) {
    store.removeItem(submitted);
  }
  store.removeItem(SUBMITTED);

  // Drafts from before drafts were keyed by writer belong to nobody known: they go.
  Object.keys(store).forEach(function (name) {
    if (name.indexOf(PREFIX) === 0 && name.split(":").length < 3) { store.removeItem(name); }
  });

  // Logging out from this page: forget every draft, and save none on the way out.
  var loggingOut = false;
  document.querySelectorAll("form[data-clears-drafts]").forEach(function (form) {
    form.addEventListener("submit", function () {
      loggingOut = true;
      Object.keys(store).forEach(function (name) {
        if (name.indexOf(PREFIX) === 0 || name === SUBMITTED) { store.removeItem(name); }
      });
    });
  });

  document.querySelectorAll("form[data-draft-form]").forEach(function (form) {
    var key = keyOf(form, owner);
    var saved = store.getItem(key);
    if (!saved && owner !== VISITOR) {
      // Written before logging in (an expired session): it is this member's now.
      var visitorKey = keyOf(form, VISITOR);
      saved = store.getItem(visitorKey);
      store.removeItem(visitorKey);
      if (saved) { store.setItem(key, saved); }
    }
    if (saved && isEmpty(form)) {
      try { restore(form, JSON.parse(saved)); } catch (error) { store.removeItem(key); }
    }
    var save = function () {
      if (loggingOut) { return; }
      var values = read(form);
      if (Object.keys(values).length) { store.setItem(key, JSON.stringify(values)); } else { store.removeItem(key); }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    window.addEventListener("pagehide", save);
    // Kept until the server says the post went through; an expired session keeps it for after login.
    form.addEventListener("submit", function () { save(); store.setItem(SUBMITTED, key); });
  });
})();
