// Council Commons: filters on index pages. The lists are complete without this script;
// it reveals the filter form and hides what does not match, announcing the count.
(function () {
  "use strict";
  function enhance(form) {
    var list = document.getElementById(form.getAttribute("data-commons-filter"));
    var status = document.querySelector('[data-commons-count="' + list.id + '"]');
    var noun = form.getAttribute("data-noun");
    var items = list.tBodies && list.tBodies.length ? list.tBodies[0].rows : list.children;
    var selects = form.querySelectorAll("select");
    function apply() {
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        var item = items[i], ok = true;
        for (var j = 0; j < selects.length; j++) {
          var want = selects[j].value;
          if (!want) continue;
          var have = (item.getAttribute("data-" + selects[j].getAttribute("data-key")) || "").split("|");
          if (have.indexOf(want) < 0) { ok = false; break; }
        }
        item.hidden = !ok;
        if (ok) shown++;
      }
      status.textContent = shown === items.length
        ? items.length + " " + noun
        : shown + " of " + items.length + " " + noun + " match the filters";
    }
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }
  function start() {
    var forms = document.querySelectorAll("form[data-commons-filter]");
    for (var i = 0; i < forms.length; i++) enhance(forms[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
