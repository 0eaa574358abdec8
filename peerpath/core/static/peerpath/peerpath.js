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

// Questionnaires: a question that depends on earlier answers (enableWhen) is shown only while
// its conditions hold. Without this script every question shows, with a hint saying when to
// answer it; the server drops answers to questions that do not apply either way.
(function () {
  function answers(form, name) {
    var found = [];
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name !== name || input.value === "") return;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      var holder = input.closest("[data-question]");
      if (holder && holder.hidden) return; // not asked, so not answered
      found.push(input.value);
    });
    return found;
  }
  function compare(given, want, op) {
    var a = given, b = String(want);
    if (typeof want === "number") {
      a = parseFloat(given);
      b = want;
      if (isNaN(a)) return false;
    }
    if (op === "=") return a === b;
    if (op === ">") return a > b;
    if (op === "<") return a < b;
    if (op === ">=") return a >= b;
    if (op === "<=") return a <= b;
    return false;
  }
  function holds(condition, given) {
    if (condition.op === "exists") return given.length > 0 === Boolean(condition.value);
    if (!given.length) return false;
    if (condition.op === "!=") {
      return !given.some(function (g) { return compare(g, condition.value, "="); });
    }
    return given.some(function (g) { return compare(g, condition.value, condition.op); });
  }
  function update(form) {
    var holders = form.querySelectorAll("[data-enable-when]");
    for (var pass = 0; pass <= holders.length; pass++) {
      var changed = false;
      holders.forEach(function (holder) {
        var rules = JSON.parse(holder.getAttribute("data-enable-when"));
        var asked = rules.every(function (rule) {
          var results = rule.conditions.map(function (c) {
            return holds(c, answers(form, c.field));
          });
          return rule.behavior === "any" ? results.some(Boolean) : results.every(Boolean);
        });
        if (holder.hidden === asked) {
          holder.hidden = !asked;
          changed = true;
        }
      });
      if (!changed) break;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-enable-when]")) return;
      update(form);
      form.addEventListener("change", function () { update(form); });
      form.addEventListener("input", function () { update(form); });
    });
  });
})();
