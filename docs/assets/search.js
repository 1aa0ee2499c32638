// Council Commons search: Pagefind's index, our own accessible results list.
// Loads only Pagefind's small JS API (not its UI bundle) and the index chunks a query needs; the filter
// chunks (a fifth of the first search's bytes at 5,000 entries) load when someone opens "Filter results".
(function () {
  "use strict";
  var root = document.getElementById("commons-search");
  if (!root) return;
  var FILTERS = [["type", "Type"], ["service area", "Service area"], ["council", "Council"],
                 ["nation", "Nation"], ["status", "Status"], ["principle", "Declaration principle"]];
  // Results come ten at a time: each needs its own fragment (about 1.6 KB), so the first search downloads
  // ten, and "Show more results" the next ten.
  var PAGE = 10;
  var form = root.querySelector("form");
  var input = root.querySelector("#commons-search-q");
  var status = root.querySelector("#commons-search-status");
  var results = root.querySelector(".commons-search__results");
  var fieldset = root.querySelector(".commons-search__filters");
  var filterList = root.querySelector(".commons-search__filter-list");
  var toggle = root.querySelector("#commons-search-filters-toggle");
  var more = root.querySelector("#commons-search-more");
  var bundle = new URL(root.getAttribute("data-bundle"), location.href).href;
  var base = new URL(root.getAttribute("data-base") || "./", location.href).pathname;
  var pagefind = null, selects = {}, allValues = {}, totals = null, generation = 0, filtersLoading = null;
  var found = [], shownCount = 0, foundFor = "";

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

  // One select per filter, with every value the index holds; `showCounts` then offers only the values that
  // have results for the current query, each with its count.
  function buildFilters(available) {
    if (totals) return;
    totals = available;
    FILTERS.forEach(function (f, i) {
      var values = available[f[0]];
      if (!values || !Object.keys(values).length) return;
      var wrap = text("div", "commons-filter__field");
      var id = "commons-search-filter-" + i;
      var label = text("label", "", f[1]);
      label.htmlFor = id;
      var select = document.createElement("select");
      select.id = id;
      select.addEventListener("change", function () { labelToggle(); run(); });
      selects[f[0]] = select;
      allValues[f[0]] = Object.keys(values).sort(function (a, b) { return a.localeCompare(b); });
      wrap.appendChild(label);
      wrap.appendChild(select);
      filterList.appendChild(wrap);
    });
    showCounts(totals);
  }

  // counts[filter][value]: how many results the current query has with that value chosen. A value with
  // none is left out of its select (an option that leads nowhere is noise, and iOS cannot hide or grey
  // options reliably), except the one chosen, which stays so that it can be seen and changed.
  function showCounts(counts) {
    Object.keys(selects).forEach(function (k) {
      var select = selects[k], chosen = select.value, mine = counts[k] || {};
      var labels = ["All"], values = [""];
      allValues[k].forEach(function (v) {
        var n = mine[v] || 0;
        if (n > 0 || v === chosen) { labels.push(v + " (" + n + ")"); values.push(v); }
      });
      // Left alone when nothing changed: someone moving through a select with the arrow keys keeps their place.
      var now = Array.prototype.map.call(select.options, function (o) { return o.textContent; });
      if (now.join("\n") === labels.join("\n")) return;
      select.replaceChildren.apply(select, labels.map(function (l, i) { return new Option(l, values[i]); }));
      select.value = chosen;
    });
  }

  // The count for each value of each filter, for `term` with the `filters` chosen. Pagefind's `filters`
  // counts a value of a filter with every chosen filter applied, and its `totalFilters` with none; a
  // select offers one value at a time, so a chosen filter's own values are counted with the other chosen
  // filters only (one more search, which takes milliseconds).
  async function countsFor(term, filters, search) {
    if (!term && !filters) return totals;
    var counts = {};
    await Promise.all(Object.keys(selects).map(async function (k) {
      if (!filters || !(k in filters)) { counts[k] = search.filters[k]; return; }
      var others = Object.assign({}, filters);
      delete others[k];
      if (!Object.keys(others).length) {
        counts[k] = term ? search.totalFilters[k] : totals[k];
        return;
      }
      counts[k] = (await pagefind.search(term || null, { filters: others })).filters[k];
    }));
    return counts;
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
      // Once the filters are loaded, every search also counts its results by filter: search again.
      filtersLoading = pagefind.filters().then(function (available) { buildFilters(available); run(); });
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
      found = [];
      more.hidden = true;
      results.replaceChildren();
      status.textContent = "";
      if (totals) showCounts(totals);
      return;
    }
    status.textContent = "Searching…";
    var search = await pagefind.search(term || null, filters ? { filters: filters } : {});
    if (mine !== generation) return;
    if (totals) {
      var counts = await countsFor(term, filters, search);
      if (mine !== generation) return;
      showCounts(counts);
    }
    found = search.results;
    foundFor = term ? " for “" + term + "”" : "";
    shownCount = 0;
    results.replaceChildren();
    await showMore(mine, false);
  }

  function card(d) {
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
    if (foundFor && d.excerpt) li.appendChild(excerpt(d.excerpt));
    return li;
  }

  // The next PAGE results of the last search; `focus` moves focus to the first of them (after the button).
  async function showMore(mine, focus) {
    var next = found.slice(shownCount, shownCount + PAGE);
    more.setAttribute("aria-busy", "true");
    var data = await Promise.all(next.map(function (r) { return r.data(); }));
    more.removeAttribute("aria-busy");
    if (mine !== generation) return;
    var first = null;
    data.forEach(function (d) {
      var li = card(d);
      results.appendChild(li);
      first = first || li;
    });
    shownCount += data.length;
    var n = found.length;
    status.textContent = n === 0 ? "No results" + foundFor + "."
      : n + (n === 1 ? " result" : " results") + foundFor + (n > shownCount ? ", showing the first " + shownCount : "") + ".";
    more.hidden = shownCount >= n;
    if (focus && first) {
      var link = first.querySelector("a");
      if (link) link.focus();
    }
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
    more.addEventListener("click", function () {
      if (!more.hasAttribute("aria-busy")) showMore(generation, true);  // a second click while loading: once
    });
    toggle.hidden = false;
    var q = new URL(location.href).searchParams.get("q");
    if (q) { input.value = q; }
    run();
  }
  start();
})();
