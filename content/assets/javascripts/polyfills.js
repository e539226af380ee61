/* Loaded in <head> before Material's bundle (mkdocs.yml: extra.polyfills). A browser without
 * ResizeObserver gets the site's own copy of the polyfill (assets/vendor/resize-observer/), so that
 * Material's bundle never fetches one from another host; every other browser loads nothing more.
 * Plain ES5 and document.write: the browsers that need it are old, and the bundle must find it. */
(function () {
  "use strict";
  if (typeof window.ResizeObserver !== "undefined") return;
  var scripts = document.getElementsByTagName("script");
  var self = document.currentScript || scripts[scripts.length - 1];
  var src = self.src.replace(/javascripts\/polyfills\.js(\?.*)?$/, "vendor/resize-observer/ResizeObserver.js");
  document.write('<script src="' + src + '"><\/script>');
})();
