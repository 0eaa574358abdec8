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
