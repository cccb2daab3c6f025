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
