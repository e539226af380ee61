/* What every page does besides search and charts: a report page's citation, the long lists' filter box,
 * the footer's date. */

/* A report page's "引用本页" line: the page's full address in the citation (its canonical link when the
 * site knows its address, else the address in the browser), and a button that copies the address.
 * Material's document$ fires on the first load and after every instant-navigation page change. */
(function () {
  "use strict";

  function address() {
    const canonical = document.querySelector('link[rel="canonical"]');
    const url = new URL(canonical ? canonical.href : location.href);
    url.search = "";
    url.hash = "";
    return url.href;
  }

  // the address as a reader would type it (汉字, not %E6%…); the copied link stays encoded
  function readable(href) {
    try {
      return decodeURI(href);
    } catch (error) {
      return href;
    }
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const field = document.createElement("textarea");  // plain http (a preview, an intranet mirror)
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.append(field);
    field.select();
    const done = document.execCommand("copy");
    field.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function cite() {
    document.querySelectorAll(".portal-cite").forEach(function (box) {
      const url = box.querySelector(".portal-cite__url");
      const button = box.querySelector(".portal-cite__copy");
      if (!url || !button || button.dataset.ready) return;
      button.dataset.ready = "1";
      url.textContent = readable(address());
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(address()).then(function () { button.textContent = "已复制链接"; },
                             function () { button.textContent = "请手动复制上面的链接"; });
      });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(cite);
  else document.addEventListener("DOMContentLoaded", cite);
})();

/* A report page's cells: each number has its anchor (td id="c3-1-7": 表三, row 1, column 7; "t" ends the
 * same cell in table 四's layout for a phone), and a click, Enter or Space on it opens 引用: the cell's
 * link, and the report, table, row, column and place in the original named in Chinese, from the page's
 * div.portal-cells (data-cells: the labels of its format and each cell's origin). All from the page itself. */
(function () {
  "use strict";
  const ID = /^c(\d)-(\d+)-(\d+)(t?)$/;

  function labels() {
    const data = document.querySelector(".portal-cells[data-cells]");
    if (!data) return null;
    try {
      return JSON.parse(data.dataset.cells);
    } catch (error) {
      return null;
    }
  }

  function link(id) {
    const canonical = document.querySelector('link[rel="canonical"]');
    const url = new URL(canonical ? canonical.href : location.href);
    url.search = "";
    url.hash = id;
    return url.href;
  }

  function shown(cell) {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll("sup").forEach(function (mark) { mark.remove(); });
    return copy.textContent.replace(/\s+/g, "");
  }

  function words(data, cell) {
    const m = cell.id.match(ID);
    const table = data.t[m[1]];
    const row = table && table.r[Number(m[2]) - 1];
    if (!row) return "";
    const column = table.c[row[1]][Number(m[3]) - 1] || "";
    const origin = data.o[cell.id.replace(/t$/, "")] || data.o["c" + m[1] + "-" + m[2]] || "";
    const value = shown(cell);
    return data.n + "，" + table.t + "，“" + row[0] + "”行“" + column + "”列：" + value +
      (origin ? "（" + origin + "）" : "") + "。";
  }

  function close(box, cell) {
    box.remove();
    cell.classList.remove("portal-cited");
    cell.focus();
  }

  function open(data, cell) {
    document.querySelectorAll(".portal-cell-cite").forEach(function (old) { old.remove(); });
    document.querySelectorAll(".portal-cited").forEach(function (old) { old.classList.remove("portal-cited"); });
    cell.classList.add("portal-cited");
    const box = document.createElement("div");
    box.className = "portal-cell-cite";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "引用这个数字");
    const text = document.createElement("p");
    const title = document.createElement("strong");
    title.textContent = "引用：";
    const body = document.createElement("span");
    body.className = "portal-cell-cite__text";
    body.textContent = words(data, cell);
    text.append(title, body);
    const url = document.createElement("p");
    url.className = "portal-cell-cite__url portal-url";
    url.textContent = decodeURI(link(cell.id));
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "md-button";
    copy.textContent = "复制引用和链接";
    copy.addEventListener("click", function () {
      const all = body.textContent + " " + link(cell.id);
      const done = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(all) : Promise.reject();
      done.then(function () { copy.textContent = "已复制"; }, function () { copy.textContent = "请手动复制上面的文字和链接"; });
    });
    const shut = document.createElement("button");
    shut.type = "button";
    shut.className = "md-button";
    shut.textContent = "关闭";
    shut.addEventListener("click", function () { close(box, cell); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close(box, cell);
    });
    box.append(text, url, copy, " ", shut);
    (cell.closest(".md-typeset") || document.body).append(box);  // fixed at the foot of the screen, beside the cell
    if (history.replaceState) history.replaceState(null, "", "#" + cell.id);
    copy.focus();
  }

  function cells() {
    const data = labels();
    if (!data) return;
    document.querySelectorAll(".portal-official td[id]").forEach(function (cell) {
      if (!ID.test(cell.id) || cell.dataset.cite) return;
      cell.dataset.cite = "1";
      cell.tabIndex = 0;
      cell.title = "引用这个数字";
      cell.addEventListener("click", function (event) {
        if (event.target.closest("a, abbr, details")) return;
        open(data, cell);
      });
      cell.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open(data, cell);
        }
      });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(cells);
  else document.addEventListener("DOMContentLoaded", cells);
})();

/* A long list (div.portal-filterable around its table): a box above it that shows only the rows
 * holding what is typed (an agency, a region), on this page of the list. */
(function () {
  "use strict";

  function filterable() {
    document.querySelectorAll(".portal-filterable").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      const rows = Array.from(box.querySelectorAll("tbody tr"));
      if (!rows.length) return;
      const label = document.createElement("label");
      label.className = "portal-filter";
      const input = document.createElement("input");
      input.type = "search";
      input.className = "portal-filter__input";
      input.placeholder = "在本页的列表中筛选：输入机关或地区名称";
      input.setAttribute("aria-label", "在本页的列表中筛选");
      const count = document.createElement("span");
      count.className = "portal-filter__count";
      count.setAttribute("aria-live", "polite");
      label.append(input, count);
      box.before(label);
      const texts = rows.map(function (row) { return row.textContent.replace(/\s+/g, "").toLocaleLowerCase(); });
      input.addEventListener("input", function () {
        const words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
        let shown = 0;
        rows.forEach(function (row, i) {
          const match = words.every(function (w) { return texts[i].includes(w); });
          row.hidden = !match;
          if (match) shown += 1;
        });
        count.textContent = words.length ? "显示 " + shown + " / " + rows.length + " 行" : "";
      });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(filterable);
  else document.addEventListener("DOMContentLoaded", filterable);
})();

/* The footer's 数据更新于 (overrides/partials/copyright.html): the date in updated.js, the site's one file
 * that changes with every commit, shown as the date in Beijing (UTC+8, as a reader in China counts days).
 * No date is shown when the build's date was not fixed (a local build without SOURCE_DATE_EPOCH). */
(function () {
  "use strict";
  const CHINA = 8 * 3600;  // China Standard Time: UTC+8 all year

  function date() {
    const epoch = String(window.portalUpdated || "");
    if (!/^\d+$/.test(epoch)) return null;
    return new Date((Number(epoch) + CHINA) * 1000).toISOString().slice(0, 10);
  }

  function updated() {
    const day = date();
    if (!day) return;
    document.querySelectorAll(".portal-footer__updated").forEach(function (line) {
      const time = line.querySelector("time");
      time.dateTime = day;
      time.textContent = day;
      line.hidden = false;
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(updated);
  else document.addEventListener("DOMContentLoaded", updated);
})();

/* A table wider than the screen (a phone's 390 px) says that it scrolls sideways, above it, so that the
 * columns at its right (办理总计, 数据核对, ⚠不符) are not taken to be missing; the cue goes once the
 * table has been scrolled to its end. Table 三 of a report page has a cue of its own (layout.py). */
(function () {
  "use strict";
  const HINT = "表格较宽：向左滑动可看到右侧各列 →";

  function cue(box) {
    // a wrapper around Material's scroll box: that box scrolls (its margins overhang the wrapper)
    const wide = !box.querySelector(".md-typeset__scrollwrap") && box.scrollWidth > box.clientWidth + 2;
    let hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("portal-scroll-cue")) hint = null;
    if (!wide || box.querySelector(".portal-scroll-hint")) {
      if (hint) hint.remove();
      box.classList.remove("portal-table--scrolls");
      return;
    }
    box.classList.add("portal-table--scrolls");
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "portal-scroll-cue";
      hint.textContent = HINT;
      box.before(hint);
    }
    const end = box.scrollLeft + box.clientWidth >= box.scrollWidth - 2;
    box.classList.toggle("portal-table--at-end", end);
  }

  function cues() {
    // the box that scrolls: our wrapper of an HTML table, or Material's around a Markdown table
    document.querySelectorAll(".md-typeset .portal-table, .md-typeset .md-typeset__scrollwrap").forEach(function (box) {
      if (box.dataset.cue) return cue(box);
      box.dataset.cue = "1";
      box.addEventListener("scroll", function () { cue(box); }, { passive: true });
      const table = box.querySelector("table");  // it may widen later (tables.js adds its sort buttons)
      if (table && typeof ResizeObserver !== "undefined") new ResizeObserver(function () { cue(box); }).observe(table);
      cue(box);
    });
  }

  let timer = 0;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(cues, 150); });
  if (typeof document$ !== "undefined") document$.subscribe(cues);
  else document.addEventListener("DOMContentLoaded", cues);
})();
