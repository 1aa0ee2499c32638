// Council Commons: the filter on the Work together page (docs/overrides/collaborate.html). The page lists every
// opportunity without this script; it reveals the filter form, hides the opportunities that do not match (and
// a service area left with none), announces the count, and keeps the choices in the address (?area=&region=)
// so a filtered list can be shared. The same approach as commons.js's index filters.
(function () {
  "use strict";
  function enhance(form) {
    var list = document.getElementById(form.getAttribute("data-commons-collaborate"));
    if (!list) return;
    var status = document.querySelector('[data-commons-count="' + list.id + '"]');
    var items = list.querySelectorAll("[data-opportunity]");
    var areas = list.querySelectorAll("[data-area-section]");
    var selects = form.querySelectorAll("select");
    function noun(n) { return n === 1 ? "opportunity" : "opportunities"; }
    function apply(remember) {
      var shown = 0, query = [];
      for (var j = 0; j < selects.length; j++) {
        if (selects[j].value) query.push(encodeURIComponent(selects[j].name) + "=" + encodeURIComponent(selects[j].value));
      }
      for (var i = 0; i < items.length; i++) {
        var item = items[i], ok = true;
        for (var k = 0; k < selects.length; k++) {
          var want = selects[k].value;
          if (!want) continue;
          var have = (item.getAttribute("data-" + selects[k].getAttribute("data-key")) || "").split("|");
          if (have.indexOf(want) < 0) { ok = false; break; }
        }
        item.hidden = !ok;
        if (ok) shown++;
      }
      for (var a = 0; a < areas.length; a++) {
        areas[a].hidden = !areas[a].querySelector("[data-opportunity]:not([hidden])");
      }
      if (status) {
        status.textContent = shown === items.length
          ? items.length + " " + noun(items.length)
          : shown + " of " + items.length + " " + noun(items.length) + " match the filters";
      }
      if (remember && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + (query.length ? "?" + query.join("&") : "") + window.location.hash);
      }
    }
    // Choices from the address, when they are among the options.
    var params = window.location.search.slice(1).split("&");
    for (var p = 0; p < params.length; p++) {
      var pair = params[p].split("=");
      var name = decodeURIComponent(pair[0] || ""), value = decodeURIComponent((pair[1] || "").replace(/\+/g, " "));
      for (var s = 0; s < selects.length; s++) {
        if (selects[s].name !== name) continue;
        for (var o = 0; o < selects[s].options.length; o++) {
          if (selects[s].options[o].value === value) selects[s].value = value;
        }
      }
    }
    form.hidden = false;
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
    apply(false);
  }
  function start() {
    var forms = document.querySelectorAll("form[data-commons-collaborate]");
    for (var i = 0; i < forms.length; i++) enhance(forms[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
