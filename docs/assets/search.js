// Council Commons search: Pagefind's index, our own accessible results list.
// Loads only Pagefind's small JS API (not its UI bundle) and the index chunks a query needs; the filter
// chunks (a fifth of the first search's bytes at 5,000 entries) load when someone opens "Filter results".
(function () {
  "use strict";
  var root = document.getElementById("commons-search");
  if (!root) return;
  var FILTERS = [["type", "Type"], ["service area", "Service area"], ["council", "Council"],
                 ["nation", "Nation"], ["status", "Status"], ["principle", "Declaration principle"]];
  var MAX_RESULTS = 20;
  var form = root.querySelector("form");
  var input = root.querySelector("#commons-search-q");
  var status = root.querySelector("#commons-search-status");
  var results = root.querySelector(".commons-search__results");
  var fieldset = root.querySelector(".commons-search__filters");
  var filterList = root.querySelector(".commons-search__filter-list");
  var toggle = root.querySelector("#commons-search-filters-toggle");
  var bundle = new URL(root.getAttribute("data-bundle"), location.href).href;
  var base = new URL(root.getAttribute("data-base") || "./", location.href).pathname;
  var pagefind = null, selects = {}, generation = 0, filtersLoading = null;

  function text(tag, cls, value) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (value) el.textContent = value;
    return el;
  }

  // Keep only text and <mark> from an excerpt, whatever it holds.
  function excerpt(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var p = text("p", "commons-search__excerpt");
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeType === 3) p.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") p.appendChild(text("mark", "", node.textContent));
      else p.appendChild(document.createTextNode(node.textContent || ""));
    });
    return p;
  }

  function buildFilters(available) {
    FILTERS.forEach(function (f, i) {
      var values = available[f[0]];
      if (!values || !Object.keys(values).length) return;
      var wrap = text("div", "commons-filter__field");
      var id = "commons-search-filter-" + i;
      var label = text("label", "", f[1]);
      label.htmlFor = id;
      var select = document.createElement("select");
      select.id = id;
      select.appendChild(new Option("All", ""));
      Object.keys(values).sort(function (a, b) { return a.localeCompare(b); }).forEach(function (v) {
        select.appendChild(new Option(v + " (" + values[v] + ")", v));
      });
      select.addEventListener("change", function () { labelToggle(); run(); });
      selects[f[0]] = select;
      wrap.appendChild(label);
      wrap.appendChild(select);
      filterList.appendChild(wrap);
    });
  }

  function labelToggle() {
    var chosen = Object.keys(selects).filter(function (k) { return selects[k].value; }).length;
    toggle.textContent = "Filter results" + (chosen ? " (" + chosen + " chosen)" : "");
  }

  async function toggleFilters() {
    if (!fieldset.hidden) {
      fieldset.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      return;
    }
    if (!filtersLoading) {
      filtersLoading = pagefind.filters().then(buildFilters);
      toggle.setAttribute("aria-busy", "true");
    }
    try {
      await filtersLoading;
    } catch (e) {
      filtersLoading = null;
      status.textContent = "The filters could not load. Try again, or browse the index pages.";
      return;
    } finally {
      toggle.removeAttribute("aria-busy");
    }
    fieldset.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
  }

  function chosenFilters() {
    var out = {}, any = false;
    Object.keys(selects).forEach(function (k) {
      if (selects[k].value) { out[k] = selects[k].value; any = true; }
    });
    return any ? out : null;
  }

  async function run() {
    var mine = ++generation;
    var term = input.value.trim();
    var filters = chosenFilters();
    var url = new URL(location.href);
    if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!term && !filters) {
      results.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    var search = await pagefind.search(term || null, filters ? { filters: filters } : {});
    if (mine !== generation) return;
    var shown = search.results.slice(0, MAX_RESULTS);
    var data = await Promise.all(shown.map(function (r) { return r.data(); }));
    if (mine !== generation) return;
    results.replaceChildren();
    data.forEach(function (d) {
      var li = document.createElement("li");
      var meta = d.meta || {};
      var kind = [meta.type, meta.council].filter(Boolean).join(" · ");
      if (kind) li.appendChild(text("p", "commons-card__kind", kind));
      var h = text("h2", "commons-card__title");
      var a = text("a", "", meta.title || d.url);
      a.href = d.url;
      h.appendChild(a);
      li.appendChild(h);
      if (meta.summary) li.appendChild(text("p", "commons-card__summary", meta.summary));
      if (term && d.excerpt) li.appendChild(excerpt(d.excerpt));
      results.appendChild(li);
    });
    var n = search.results.length;
    var what = term ? " for “" + term + "”" : "";
    status.textContent = n === 0 ? "No results" + what + "."
      : n + (n === 1 ? " result" : " results") + what + (n > MAX_RESULTS ? ", showing the first " + MAX_RESULTS : "") + ".";
  }

  async function start() {
    try {
      pagefind = await import(bundle + "pagefind.js");
      // noWorker: searching this index takes milliseconds, and the worker would be a second 40 KB download.
      await pagefind.options({ baseUrl: base, excerptLength: 24, noWorker: true });
      await pagefind.init();
    } catch (e) {
      status.textContent = "Search could not start. Browse the index pages instead.";
      return;
    }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    toggle.addEventListener("click", toggleFilters);
    toggle.hidden = false;
    var q = new URL(location.href).searchParams.get("q");
    if (q) { input.value = q; }
    run();
  }
  start();
})();
