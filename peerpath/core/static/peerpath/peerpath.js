// Focus where the work is: after a failed save, the error summary; on a page whose main job is
// a form (marked data-focus-first), its first field. Nothing else moves focus.
(function () {
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return;
    }
    var form = document.querySelector("main form[data-focus-first]");
    if (!form) return;
    var field = form.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
    if (field) field.focus();
  });
})();

// Behaviour that would otherwise sit in inline handlers (the Content-Security-Policy allows no
// inline script): print buttons, and autosave answers that are refusals (409 stale, 400 invalid)
// swapped in like any other answer so the person sees why.
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[data-swap-refusals]");
    var status = event.detail.xhr && event.detail.xhr.status;
    if (form && (status === 409 || status === 400)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
