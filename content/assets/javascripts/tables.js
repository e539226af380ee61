/* Sortable list tables: a click (or Enter) on a header of a table in div.portal-sortable sorts its rows
 * by that column, with tablesort (assets/vendor/tablesort/, the library Material's documentation uses
 * for sortable tables, served from this site). Numbers sort as numbers, whatever surrounds them
 * (≥12, 12.5%, 3⚠不符注1); 未知, 无年报 and — sort below every number; names sort in Chinese collation.
 * A link in a header (to 术语说明) opens its page and does not sort. Only the rows on this page are
 * sorted: a long list paged over several pages is sorted page by page. */
(function () {
  "use strict";
  if (typeof Tablesort === "undefined") return;

  var NUMBER = /^[≥≤]?([-+]?\d+(?:\.\d+)?)/;
  var NO_NUMBER = /^(未知|无年报|无此项|无法计算|—|-$)/;
  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function squeezed(text) { return text.replace(/\s+/g, ""); }

  function value(text) {
    var m = squeezed(text).match(NUMBER);
    return m ? parseFloat(m[1]) : -Infinity;
  }

  // tablesort's sort functions order b before a when they return a positive number
  Tablesort.extend("portal-number", function (text) {
    var t = squeezed(text);
    return NUMBER.test(t) || NO_NUMBER.test(t);
  }, function (a, b) {
    var x = value(a), y = value(b);
    return x === y ? 0 : (y > x ? 1 : -1);
  });
  Tablesort.extend("portal-text", function () { return true; }, function (a, b) {
    return collator.compare(squeezed(b), squeezed(a));
  });

  function sortable() {
    document.querySelectorAll(".portal-sortable table").forEach(function (table) {
      if (table.dataset.sortable || !table.tHead || !table.tBodies.length) return;
      table.dataset.sortable = "1";
      table.querySelectorAll("thead a").forEach(function (link) {
        link.addEventListener("click", function (event) { event.stopPropagation(); });
      });
      table.querySelectorAll("thead th").forEach(function (th) {
        th.title = "点击按此列排序，再点一次倒序";
      });
      new Tablesort(table);
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(sortable);
  else document.addEventListener("DOMContentLoaded", sortable);
})();
