/* The search page: Pagefind's own UI and index, both served from this site (site/pagefind/, written
 * by `mkdocs build`, see src/builder/render/search_index.py). Loaded only on the page that has
 * div#portal-search; Material's document$ fires on the first load and after every instant-navigation
 * page change. search/?q=行政复议 opens with that query. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);  // this file is assets/javascripts/
  var bundle = new URL("pagefind/", root);
  var loading = null;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("pagefind-ui.css", bundle).href;
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = new URL("pagefind-ui.js", bundle).href;
      js.onload = resolve;
      js.onerror = reject;
      document.head.appendChild(js);
    });
    return loading;
  }

  function mount() {
    var box = document.getElementById("portal-search");
    if (!box || box.dataset.mounted) return;
    box.dataset.mounted = "1";
    load().then(function () {
      var ui = new PagefindUI({
        element: box,
        bundlePath: bundle.pathname,
        baseUrl: root.pathname,  // the site may live under a sub-path (GitHub Pages project sites)
        showImages: false,
        showSubResults: true,
        resetStyles: false,
        autofocus: true
      });
      var query = new URLSearchParams(location.search).get("q");
      if (query) ui.triggerSearch(query);
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(mount);
  else document.addEventListener("DOMContentLoaded", mount);
})();
