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

// Council Commons: the navigation drawer from the keyboard (WCAG 2.1.1, 2.4.3). On narrower screens Material's
// Menu button is a label for a hidden checkbox, which the keyboard cannot reach. Here it is replaced by a real
// button that opens and closes the drawer (Enter and Space, as any button) and says whether it is open
// (aria-expanded). Opening it from the keyboard moves focus to the drawer's first link; Escape, or Tab out of
// the drawer, closes it and returns to the button. The labels that open and close the drawer's sub-lists
// (Contribute) become Tab stops that Enter and Space work, as Material's own non-section labels are. While the
// drawer is closed, focus.css hides it, so its links are not Tab stops off screen.
(function () {
  "use strict";
  var drawer = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (!drawer || !label || !sidebar) return;
  var narrow = window.matchMedia("(max-width: 76.234375em)");

  function shown(el) { return getComputedStyle(el).visibility === "visible" && el.getClientRects().length > 0; }
  function first(within, selector) {
    var all = within.querySelectorAll(selector);
    for (var i = 0; i < all.length; i++) if (shown(all[i])) return all[i];
    return null;
  }
  function firstLink() { return first(sidebar, "a[href], [tabindex='0']"); }

  // The Menu button: a <button> (a label may not take the button role), shown where Material shows the label.
  var menu = document.createElement("button");
  menu.type = "button";
  menu.className = label.className + " commons-menu-button";
  menu.innerHTML = label.innerHTML;  // Material's icon, from the theme
  menu.setAttribute("aria-label", "Menu");
  sidebar.id = sidebar.id || "commons-drawer";
  menu.setAttribute("aria-controls", sidebar.id);
  menu.setAttribute("aria-expanded", String(drawer.checked));
  label.parentNode.replaceChild(menu, label);
  var byKeyboard = false;
  menu.addEventListener("keydown", function (e) { byKeyboard = e.key === "Enter" || e.key === " "; });
  menu.addEventListener("click", function () {
    drawer.click();
    if (drawer.checked && byKeyboard) { var link = firstLink(); if (link) link.focus(); }
    byKeyboard = false;
  });
  drawer.addEventListener("change", function () { menu.setAttribute("aria-expanded", String(drawer.checked)); });

  // The drawer's sub-list toggles (Material leaves section labels out of the Tab order). Opening a sub-list
  // moves focus to its first control (its "back" title); going back returns focus to what opened it.
  function focusIn(toggle) {
    var target = toggle.checked
      ? first(toggle.parentNode, ":scope > .md-nav > label.md-nav__title, :scope > .md-nav a[href]")
      : first(toggle.parentNode, ":scope > .md-nav__container > label, :scope > label.md-nav__link");
    if (target) target.focus();
  }
  var labels = sidebar.querySelectorAll(".md-nav--primary label.md-nav__link[for], .md-nav--primary label.md-nav__title[for]");
  for (var i = 0; i < labels.length; i++) {
    var sub = labels[i], toggle = document.getElementById(sub.getAttribute("for"));
    if (!toggle || toggle.type !== "checkbox" || toggle === drawer) continue;
    if (!narrow.matches && sub.getAttribute("tabindex") !== "0") continue;
    var link = sub.parentNode.querySelector(":scope > a");
    if (!sub.textContent.trim() && link) {  // the chevron beside a section's link says what it opens
      var words = document.createElement("span");
      words.className = "commons-visually-hidden";
      words.textContent = "Pages in " + link.textContent.trim();
      sub.appendChild(words);
    }
    sub.setAttribute("tabindex", "0");
    sub.addEventListener("keydown", (function (toggle) {
      return function (e) {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        e.stopPropagation();  // Material clicks a focused label on Enter too: once is enough
        toggle.click();
        focusIn(toggle);
      };
    })(toggle));
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && drawer.checked && narrow.matches) { drawer.click(); menu.focus(); }
  });
  document.addEventListener("focusin", function (e) {
    if (!drawer.checked || !narrow.matches) return;
    if (sidebar.contains(e.target) || menu.contains(e.target)) return;
    drawer.click();
  });
})();
