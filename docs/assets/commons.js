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

// Council Commons: tables that scroll in their own labelled region (WCAG 1.4.10, 2.1.1), as GOV.UK's do. The
// templates' tables sit in a .commons-table-region (role=region, a label, tabindex=0, so they work without this
// script); Material wraps every Markdown table (entry bodies, maintainers' pages, the commitments_table macro)
// in a .md-typeset__scrollwrap, which this names as a region after the table's caption or the heading before it.
// A region is a Tab stop, so a keyboard can scroll it, only while it actually scrolls: measured when the page
// loads and whenever the window changes size.
(function () {
  "use strict";
  var REGIONS = ".commons-table-region, .md-typeset__scrollwrap";

  function words(el) { return (el.textContent || "").replace(/\s+/g, " ").trim(); }
  // The nearest heading before `el` in the document: a previous sibling's, or an ancestor's previous sibling's.
  function headingBefore(el) {
    for (var node = el; node && !node.matches(".md-content, body"); node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev;
        var inner = prev.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) return inner[inner.length - 1];
      }
    }
    return null;
  }
  function label(wrap, used) {
    var table = wrap.querySelector("table"), caption = table && table.caption;
    var heading = caption ? null : headingBefore(wrap);
    var name = caption ? words(caption) : heading ? words(heading) + ", table" : "Table";
    var n = (used[name] || 0) + 1;
    used[name] = n;
    return n > 1 ? name + " " + n : name;  // landmarks of one role need names of their own
  }
  function name() {
    var used = {}, named = document.querySelectorAll(".commons-table-region[aria-label]");
    for (var i = 0; i < named.length; i++) used[named[i].getAttribute("aria-label")] = 1;
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap:not([role])");
    for (var j = 0; j < wraps.length; j++) {
      wraps[j].setAttribute("role", "region");
      wraps[j].setAttribute("aria-label", label(wraps[j], used));
    }
  }
  function measure() {
    var regions = document.querySelectorAll(REGIONS);
    for (var i = 0; i < regions.length; i++) {
      var r = regions[i], scrolls = r.scrollWidth > r.clientWidth + 1;
      if (scrolls && r.getAttribute("tabindex") !== "0") r.setAttribute("tabindex", "0");
      else if (!scrolls && r.hasAttribute("tabindex") && r !== document.activeElement) r.removeAttribute("tabindex");
    }
  }
  function update() { name(); measure(); }
  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; update(); });
  }
  // Material wraps the tables when it mounts the page (document$); without its script, on DOMContentLoaded.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(soon);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", soon);
  else soon();
  window.addEventListener("load", soon);
  window.addEventListener("resize", soon);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(soon);
})();
