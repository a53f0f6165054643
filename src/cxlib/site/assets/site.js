/* The site's only script: filters and sorting of the kind indexes, and the search page.
   Every page reads fully without it. Text from documents is only ever set as text. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }

  function setupSorting(table) {
    var body = table.tBodies[0];
    each(table.querySelectorAll("thead button[data-sort]"), function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th");
        var index = Number(button.getAttribute("data-sort"));
        var numeric = button.getAttribute("data-type") === "num";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(table.querySelectorAll("thead th"), function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = numeric ? (Number(x) || 0) - (Number(y) || 0)
            : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
          return ascending ? order : -order;
        });
        each(rows, function (row) { body.appendChild(row); });
      });
    });
  }

  function matches(row, select) {
    if (!select.value) { return true; }
    if (select.name === "tag") {
      var tags = (row.getAttribute("data-tags") || "").split(" ");
      return tags.indexOf(select.value) >= 0;
    }
    return row.getAttribute("data-" + select.name) === select.value;
  }

  function setupFilters() {
    var form = document.getElementById("filters");
    var table = document.getElementById("doc-table");
    if (!form || !table) { return; }
    form.hidden = false;
    var rows = table.tBodies[0].rows;
    var selects = form.querySelectorAll("select");
    var count = document.getElementById("shown-count");
    function apply() {
      var shown = 0;
      each(rows, function (row) {
        var ok = true;
        each(selects, function (select) { ok = ok && matches(row, select); });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " shown"; }
    }
    var params = new URLSearchParams(window.location.search);
    each(selects, function (select) {
      var wanted = params.get(select.name);
      if (wanted !== null) {
        each(select.options, function (option) { if (option.value === wanted) { select.value = wanted; } });
      }
      select.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    setupSorting(table);
    apply();
  }

  /* Pagefind's excerpt marks the words found; only its text is kept, and the marks. */
  function excerptNode(html) {
    var out = document.createElement("p");
    out.className = "excerpt";
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    each(parsed.body.firstChild ? parsed.body.firstChild.childNodes : [], function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function pageHref(url) {
    var at = url.lastIndexOf("docs/");
    return at >= 0 ? url.slice(at) : url.replace(/^[./]+/, "");
  }

  function showResults(list, status, query, found) {
    list.textContent = "";
    each(found, function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = pageHref(data.url);
      link.textContent = (data.meta && data.meta.title) || data.url;
      item.appendChild(link);
      item.appendChild(excerptNode(data.excerpt || ""));
      list.appendChild(item);
    });
    status.textContent = found.length === 0 ? "Nothing found for \u201c" + query + "\u201d."
      : found.length + (found.length === 1 ? " document" : " documents") + " found for \u201c" + query + "\u201d.";
  }

  function setupSearch() {
    var list = document.getElementById("search-results");
    if (!list) { return; }
    var status = document.getElementById("search-status");
    var input = document.getElementById("search-input");
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (input) { input.value = query; input.focus(); }
    if (list.getAttribute("data-index") === "missing") { return; }
    if (!query) { status.textContent = "Type words in the search box above and press Enter."; return; }
    if (window.location.protocol === "file:") {
      status.textContent = "Search works when the site is served (cxlib site --serve, or any web " +
        "server); opened from disk, the browser blocks it.";
      return;
    }
    status.textContent = "Searching\u2026";
    var bundle = new URL("pagefind/pagefind.js", window.location.href).href;
    import(bundle).then(function (pagefind) {
      return pagefind.search(query).then(function (search) {
        return Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
      });
    }).then(function (found) {
      showResults(list, status, query, found);
    }).catch(function () {
      status.textContent = "The search index could not be loaded; build the site again with " +
        "search (pip install 'cxlib[site]').";
    });
  }

  function start() { setupFilters(); setupSearch(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
