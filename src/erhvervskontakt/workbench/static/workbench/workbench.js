/* Erhvervskontakt workbench: what htmx adds on top of plain forms. Every form and link works
   without this file (a full POST and a redirect, a plain "Vis ældre" link); with it a task's
   row, the delivery plan or an older page of a list is replaced in place.
   web/site.js (loaded before) starts DKFDS and, after a swap, focuses the first invalid field
   or the element marked data-focus-after-swap in the swapped region. */
(function () {
  "use strict";
  var body = document.body;
  var toasts = document.getElementById("wb-toasts");
  var focusedId = null;

  function toast(kind, text) {
    if (!toasts || !text) {
      return;
    }
    var box = document.createElement("div");
    box.className = "toast toast-" + kind + " show";
    var icon = document.createElement("div");
    icon.className = "toast-icon";
    var message = document.createElement("div");
    message.className = "toast-message";
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.textContent = toasts.getAttribute("data-close-text") || "Luk";
    message.appendChild(paragraph);
    message.appendChild(close);
    box.appendChild(icon);
    box.appendChild(message);
    toasts.replaceChildren(box);
  }

  if (toasts) {
    toasts.addEventListener("click", function (event) {
      var close = event.target.closest(".toast-close");
      if (close) {
        close.closest(".toast").remove();
      }
    });
  }

  body.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });

  body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    // Refusals come with the section re-rendered around the message (what was typed kept).
    if (xhr.status === 403 || xhr.status === 409 || xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    // Logged out meanwhile: the answer is the login page, not the part asked for. Reload the
    // page, which leads to the login and back here.
    if (xhr.responseURL) {
      var asked = new URL(event.detail.requestConfig.path, window.location.href);
      var got = new URL(xhr.responseURL);
      if (asked.pathname !== got.pathname) {
        event.detail.shouldSwap = false;
        window.location.reload();
      }
    }
  });

  // Something htmx could not show (a 404 or 500, or no network): say so, change nothing.
  function failed() {
    toast("error", toasts && toasts.getAttribute("data-error-text"));
  }
  body.addEventListener("htmx:responseError", failed);
  body.addEventListener("htmx:sendError", failed);

  // A delivery-plan change moved the case to a new version. The page's other case forms
  // that showed the version the change was made from are current again; a form that showed
  // an older one stays stale, so the service still refuses it.
  body.addEventListener("wb-case-version", function (event) {
    var from = String(event.detail.from);
    var to = String(event.detail.to);
    document.querySelectorAll("input[name='version'][data-case-version]").forEach(function (input) {
      if (input.value === from) {
        input.value = to;
      }
    });
  });

  body.addEventListener("htmx:afterSettle", function (event) {
    var region = event.detail.target;
    region = (region && region.id && document.getElementById(region.id)) || null;
    var active = document.activeElement;
    if (!active || active === body) {
      // Focus was on a control the swap replaced: back to the same control if it is still
      // there, else to what the region marks (a row's status line, the plan's heading).
      var again = focusedId && document.getElementById(focusedId);
      var status =
        region &&
        (region.querySelector("[data-focus-after-swap]") ||
          region.querySelector("[data-focus-fallback]"));
      if (again) {
        again.focus();
      } else if (status) {
        status.focus();
      }
    }
    // A marker is for the swap that brought it; the next page of a list brings its own.
    if (region) {
      region.querySelectorAll("[data-focus-after-swap]").forEach(function (element) {
        element.removeAttribute("data-focus-after-swap");
      });
    }
    if (toasts) {
      toasts.querySelectorAll(".toast").forEach(function (box) {
        if (!box.hasAttribute("data-timer")) {
          box.setAttribute("data-timer", "1");
          window.setTimeout(function () {
            if (!box.contains(document.activeElement)) {
              box.remove();
            }
          }, 10000);
        }
      });
    }
  });
})();
