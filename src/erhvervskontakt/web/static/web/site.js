/* Erhvervskontakt portal: start Det Fælles Designsystem, and keep focus sensible after htmx
   swaps a part of the page. Everything works without this file; it only makes it smoother. */
(function () {
  "use strict";
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  // After a swap the old element is gone: look the region up again by its id. Focus goes to
  // the first field with an error, else to the confirmation, so a screen reader hears it.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var old = event.detail.target;
    var region = (old && old.id && document.getElementById(old.id)) || null;
    if (!region || region.id === "mangler") {
      return;
    }
    var invalid = region.querySelector("[aria-invalid='true']");
    var notice = region.querySelector("[data-focus-after-swap]");
    if (invalid) {
      invalid.focus();
    } else if (notice) {
      notice.focus();
    }
  });
})();

/* Step 1 of a new inquiry: filter the catalogue as one types in its search field (without
   JavaScript the search is a GET form the server filters). Checked choices stay checked and
   are sent even while hidden. */
(function () {
  "use strict";
  var field = document.querySelector("[data-catalogue-filter]");
  var list = field && document.getElementById(field.getAttribute("data-catalogue-filter"));
  var status = field && document.getElementById(field.getAttribute("data-status"));
  if (!list || !status) {
    return;
  }
  var timer = null;
  function apply() {
    var words = field.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    list.querySelectorAll("[data-search]").forEach(function (option) {
      var text = option.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      shown += match ? 1 : 0;
    });
    list.querySelectorAll("[data-catalogue-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-search]:not([hidden])");
    });
    if (!words.length) {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = field.getAttribute("data-text-none");
    } else if (shown === 1) {
      status.textContent = field.getAttribute("data-text-one");
    } else {
      status.textContent = shown + " " + field.getAttribute("data-text-many");
    }
  }
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 150);
  });
})();
