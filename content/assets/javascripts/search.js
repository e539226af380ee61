/* Search: a small UI of our own over Pagefind's JS API, with the index served from this site
 * (site/pagefind/, written by `mkdocs build`, see src/builder/render/search_index.py; what each page
 * gives the index: src/builder/render/search_fields.py).
 *
 * - Every page: the header's search field (overrides/partials/header.html) and the home page's box
 *   are plain forms that open search/?q=…; the key / focuses the header field (or opens the search page).
 * - The search page (div#portal-search): the query, filters (年度, 地区层级, 报告格式), results PAGE at a
 *   time with "显示更多". search/?q=行政复议&year=2020 opens with that query, and typing keeps the address.
 *
 * How a query is read: Pagefind (≥ 1.5) segments it itself, Chinese included, and finds the
 * candidates in one search; a four-digit year typed in it sets the 年度 filter (shown in its select and
 * the address). A result is shown only if its text or names contain every word as typed (or, when no
 * page does, every piece of it: 行政复议和行政诉讼 → 行政复议, 行政诉讼), so a word found in no page gives
 * no results instead of pages that match the other words. Excerpts mark the query words whole
 * (行政复议, never 行政 inside 行政许可; 26, never the 26 of 2602). A large site's index comes in parts
 * (pagefind/shards.json lists them), merged into one list of results; the national search page
 * (`portal national`, src/builder/national.py) runs this same file over every province site's parts.
 * Material's document$ fires on the first load and after every instant-navigation page change. */
(function () {
  "use strict";
  const PAGE = 10;
  const DEBOUNCE_MS = 300;
  const SECTIONS = 3;  // at most this many sections of a page under its result, as Pagefind's own UI
  const VERIFY_ALL = 40;  // up to this many candidates, all are checked: the count shown is exact
  const MAX_MISSES = 30;  // candidates in a row that lack a word: the rest are taken not to match
  const STOP = new Set("的了和与及或而在是也把被就都并等之其着过啊吗呢吧".split(""));
  const YEAR = /^(19|20)\d{2}$/;
  const FILTERS = [["year", "年度", "全部年度"], ["level", "地区层级", "全部层级"], ["template", "报告格式", "全部格式"]];
  // a filter's value as the facet token pages carry (render/search_fields.py): one word, never split
  const LEVELS = { "省级": "lvprovince", "市级": "lvcity", "县级": "lvcounty" };
  function facet(name, value) {
    if (name === "year") return "y" + value;
    if (name === "level") return LEVELS[value] || "";
    return "t" + value.replace(/\D/g, "");  // 2019 版 → t2019
  }
  const script = document.currentScript;
  const root = new URL("../../", script ? script.src : location.href);  // this file is assets/javascripts/
  const words = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  // the site's own pages' title pieces count little: reports, agencies and regions come first
  const RANKING = { metaWeights: { sitewords: 0.2 } };
  let loading = null;

  // The sites searched: this one, or on the national search page (written by `portal national`) every
  // province site that div#portal-search's data-sites lists, relative to this site's root.
  function sites() {
    const box = document.getElementById("portal-search");
    const listed = box && box.dataset.sites ? JSON.parse(box.dataset.sites) : [""];
    return listed.map(function (path) { return new URL(path, root); });
  }

  // The parts of a site's index besides pagefind/ (a large site's pagefind-1/, …), from its shards.json.
  function parts(site) {
    return fetch(new URL("pagefind/shards.json", site)).then(function (response) {
      if (!response.ok) throw new Error(new URL("pagefind/shards.json", site).pathname + ": HTTP " + response.status);
      return response.json();
    }).then(function (shards) {
      return shards.map(function (shard) { return new URL(shard, site).pathname; });
    });
  }

  // One Pagefind search over every index of every site: the first site's pagefind.js, all other indexes
  // merged, each with its site's address as the base of its results' links.
  function pagefind() {
    if (!loading) {
      const all = sites();
      loading = import(new URL("pagefind/pagefind.js", all[0]).href).then(async function (api) {
        const indexes = await Promise.all(all.map(function (site, i) {
          return parts(site).then(function (more) {
            return { options: { baseUrl: site.pathname, ranking: RANKING },  // the site may live under a sub-path
                     paths: (i ? [new URL("pagefind/", site).pathname] : []).concat(more) };
          });
        }));
        await api.options(indexes[0].options);
        for (const index of indexes) {
          for (const path of index.paths) await api.mergeIndex(path, index.options);
        }
        return api;
      });
      loading.catch(function () { loading = null; });  // the next query tries again
    }
    return loading;
  }

  // ------------------------------------------------------------------ reading a query

  // The pieces of a word, for the fallback check only (Pagefind segments the query it searches itself).
  function segments(text) {
    if (!words) return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return Array.from(words.segment(text)).filter(function (s) {
      return s.isWordLike && !(s.segment.length === 1 && STOP.has(s.segment));
    }).map(function (s) { return s.segment; });
  }

  // {words: [{text, terms}], terms, years}: the words as typed, the pieces of each, the years typed.
  function parse(query) {
    const chunks = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const years = chunks.filter(function (c) { return YEAR.test(c); });
    const all = [];
    const parsed = chunks.filter(function (c) { return !YEAR.test(c); }).map(function (chunk) {
      const terms = segments(chunk);
      terms.forEach(function (t) { if (!all.includes(t)) all.push(t); });
      return { text: chunk, terms: terms.length ? terms : [chunk] };
    });
    return { words: parsed, terms: all, years: years };
  }

  function compact(text) {
    return (text || "").replace(/[\s\u200b]+/g, "").toLocaleLowerCase();
  }

  // The text a result must contain every term of: the page's indexed text, title and names.
  function haystack(data) {
    const meta = data.meta || {};
    return [data.content, meta.title, meta.names, meta.agency, meta.region].map(compact).join("\n");
  }

  function hasFacets(data, facets) {
    const own = ((data.meta && data.meta.facets) || "").split(" ");
    return facets.every(function (f) { return own.includes(f); });
  }

  function containsAll(data, needles) {
    const text = haystack(data);
    return needles.every(function (needle) { return text.includes(needle); });
  }

  // ------------------------------------------------------------------ the results of one query

  // A query's results: Pagefind's candidates, checked PAGE at a time as they are shown. A result has
  // each of the query's words whole (依申请公开 as typed); when no page does, each of their terms.
  // `filters`: {year, level, template} chosen; their facet tokens narrow Pagefind's candidates, and a
  // result must carry them all.
  function Results(api, parsed, filters) {
    this.api = api;
    this.parsed = parsed;
    this.filters = filters;
    this.facets = Object.keys(filters).map(function (k) { return facet(k, filters[k]); });
    this.loaded = [];  // the candidates' data, in rank order, as far as checked
    this.checked = 0;  // of them, checked in the current mode
    this.shown = [];  // checked data that has every word
    this.misses = 0;
    this.candidates = [];
    const whole = parsed.words.map(function (w) { return compact(w.text); });
    this.modes = [whole];
    if (whole.join(" ") !== parsed.terms.join(" ")) this.modes.push(parsed.terms);
  }

  Results.prototype.start = async function () {
    const typed = this.parsed.words.map(function (w) { return w.text; });
    const search = await this.api.search(typed.concat(this.facets).join(" "));  // Pagefind segments it
    this.candidates = search.results;
    await this.fill(this.candidates.length <= VERIFY_ALL ? VERIFY_ALL : PAGE);
    return this;
  };

  Object.defineProperty(Results.prototype, "exhausted", {
    get: function () { return this.checked >= this.candidates.length || this.misses >= MAX_MISSES; }
  });

  // Checks candidates until `wanted` results are known or none are left.
  Results.prototype.fill = async function (wanted) {
    for (;;) {
      while (this.shown.length < wanted && !this.exhausted) {
        if (this.checked >= this.loaded.length) {
          const batch = this.candidates.slice(this.loaded.length, this.loaded.length + PAGE);
          this.loaded.push.apply(this.loaded, await Promise.all(batch.map(function (r) { return r.data(); })));
        }
        const data = this.loaded[this.checked++];
        if (this.shown.some(function (d) { return d.url === data.url; })) continue;  // one page, one result
        if (hasFacets(data, this.facets) && (!this.parsed.terms.length || containsAll(data, this.modes[0]))) {
          this.shown.push(data);
          this.misses = 0;
        } else {
          this.misses += 1;
        }
      }
      if (this.shown.length || !this.exhausted || this.modes.length < 2) return;
      this.modes.shift();  // no page has the words whole: their terms will do
      this.checked = 0;
      this.misses = 0;
    }
  };

  Results.prototype.count = function () {
    return this.exhausted ? { n: this.shown.length, exact: true }
      : { n: this.candidates.length - (this.checked - this.shown.length), exact: false };
  };

  // ------------------------------------------------------------------ showing results

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Material's permalink sign, indexed with every heading; the ". " Pagefind puts between blocks.
  function clean(text) {
    return text.replace(/¶/g, "").replace(/([^\s.])\.(\s|$)/gu, function (all, before, after) {
      return /[\p{Script=Han}\d）)”"：:%]/u.test(before) ? before + (after ? "；" : "") : all;
    });
  }

  // The text's characters other than white space, lower-cased, with where each stands in the text:
  // a query word is found whatever the spaces (2020年 in "2020 年").
  function flatten(text) {
    const at = [];
    let flat = "";
    for (let i = 0; i < text.length; i++) {
      if (!/\s/.test(text[i])) {
        at.push(i);
        flat += text[i].toLocaleLowerCase();
      }
    }
    return { flat: flat, at: at };
  }

  // A number or a Latin word is found whole: 26 is not the 26 of 2602, nor 20 of 2020.
  const ALNUM = /[0-9a-z]/;
  function whole(flat, i, needle) {
    const before = i > 0 ? flat[i - 1] : "", after = flat[i + needle.length] || "";
    return !(ALNUM.test(needle[0]) && ALNUM.test(before)) && !(ALNUM.test(needle[needle.length - 1]) && ALNUM.test(after));
  }

  function longestFirst(needles) {
    return needles.slice().sort(function (a, b) { return b.length - a.length; });
  }

  // [start, end) of every occurrence of the needles (the query's words, whole) in `text`, longest
  // first, never overlapping.
  function marks(text, needles) {
    const f = flatten(text);
    const taken = new Uint8Array(f.flat.length);
    const found = [];
    longestFirst(needles).forEach(function (needle) {
      if (!needle) return;
      for (let i = f.flat.indexOf(needle); i >= 0; i = f.flat.indexOf(needle, i + 1)) {
        if (!whole(f.flat, i, needle) || taken.subarray(i, i + needle.length).some(Boolean)) continue;
        taken.fill(1, i, i + needle.length);
        found.push([f.at[i], f.at[i + needle.length - 1] + 1]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0]; });
  }

  function marked(text, needles, className) {
    const paragraph = element("p", className);
    let at = 0;
    marks(text, needles).forEach(function (range) {
      paragraph.append(text.slice(at, range[0]), element("mark", null, text.slice(range[0], range[1])));
      at = range[1];
    });
    paragraph.append(text.slice(at));
    return paragraph;
  }

  // Pagefind's excerpt as plain text (its own <mark>s dropped: they mark pieces of words).
  function plain(html) {
    const template = document.createElement("template");
    template.innerHTML = html;  // inert: nothing inside a template runs or loads
    return clean(template.content.textContent || "").trim();
  }

  // The page's text around the first of the query's words it has (longest word first), so that the
  // excerpt shows what matched; Pagefind's own excerpt when the words are only in the names.
  function excerpt(data, needles) {
    const text = clean((data.content || "").replace(/\u200b/g, ""));
    const f = flatten(text);
    for (const needle of longestFirst(needles)) {
      let i = needle ? f.flat.indexOf(needle) : -1;
      while (i >= 0 && !whole(f.flat, i, needle)) i = f.flat.indexOf(needle, i + 1);
      if (i < 0) continue;
      const start = f.at[i], end = f.at[i + needle.length - 1] + 1;
      const from = Math.max(0, start - 40), to = Math.min(text.length, end + 80);
      const snippet = (from > 0 ? "…" : "") + text.slice(from, to).trim() + (to < text.length ? "…" : "");
      return marked(snippet, needles, "portal-search__excerpt");
    }
    return marked(plain(data.excerpt || ""), needles, "portal-search__excerpt");
  }

  // The page's sections that hold the most matches, in page order; not the page's own title.
  function sections(data, title, needles) {
    const all = (data.sub_results || []).filter(function (sub) {
      const heading = clean(sub.title || "").trim();
      const text = plain(sub.excerpt || "");  // without the heading itself: a heading alone says nothing more
      const body = text.startsWith(heading) ? text.slice(heading.length) : text;
      return sub.url !== data.url && heading !== title && marks(body, needles).length;
    });
    const best = all.slice().sort(function (a, b) { return b.locations.length - a.locations.length; })
      .slice(0, SECTIONS);
    return all.filter(function (sub) { return best.includes(sub); });
  }

  // Agency, year, region and key figures: what a reader needs to pick a result.
  function facts(meta) {
    const line = element("p", "portal-search__facts");
    if (meta.kind) line.append(element("span", "portal-search__kind", meta.kind));
    const parts = [];
    if (meta.agency && meta.kind !== "机关") parts.push(meta.agency);
    if (meta.year) parts.push(meta.year + " 年");
    if (meta.region) parts.push(meta.region);
    if (meta.years) parts.push("年报年度：" + meta.years.split(" ").join("、"));
    if (meta.received) parts.push("新收申请 " + meta.received + " 件");
    if (meta.processed) parts.push("办理总计 " + meta.processed + " 件");
    if (parts.length) line.append(" " + parts.join(" · "));
    return line;
  }

  function result(data, needles) {
    const meta = data.meta || {};
    const title = clean(meta.title || "").trim() || data.url;
    const item = element("li", "portal-search__result");
    const link = element("a", "portal-search__link", title);
    link.href = data.url;
    item.append(link, facts(meta), excerpt(data, needles));
    const subs = sections(data, title, needles);
    if (subs.length) {
      const list = element("ul", "portal-search__sections");
      subs.forEach(function (sub) {
        const entry = element("li", "portal-search__section");
        const anchor = element("a", "portal-search__section-link", clean(sub.title || "").trim());
        anchor.href = sub.url;
        entry.append(anchor, marked(plain(sub.excerpt || ""), needles, "portal-search__excerpt"));
        list.append(entry);
      });
      item.append(list);
    }
    return item;
  }

  function number(n) {
    return n.toLocaleString("zh-CN");
  }

  // ------------------------------------------------------------------ the search page

  function mount() {
    const box = document.getElementById("portal-search");
    if (!box || box.dataset.mounted) return;
    box.dataset.mounted = "1";

    const form = element("form", "portal-search__form");
    form.setAttribute("role", "search");
    const label = element("label", "portal-search__label", "搜索年报、机关和地区");
    label.htmlFor = "portal-search-input";
    const input = element("input", "portal-search__input");
    Object.assign(input, {
      id: "portal-search-input", type: "search", name: "q", placeholder: "机关名称、地区、年度或年报中的词句，如“行政复议”",
      autocomplete: "off", spellcheck: false, enterKeyHint: "search"
    });
    const filterBar = element("div", "portal-search__filters");
    const selects = {};
    FILTERS.forEach(function (spec) {
      const wrap = element("label", "portal-search__filter");
      wrap.append(element("span", "portal-search__filter-name", spec[1]));
      const select = element("select", "portal-search__select");
      select.name = spec[0];
      select.append(new Option(spec[2], ""));
      selects[spec[0]] = select;
      wrap.append(select);
      filterBar.append(wrap);
    });
    form.append(label, input, filterBar);
    const results = element("div", "portal-search__results");
    results.setAttribute("aria-live", "polite");
    const status = element("p", "portal-search__status");
    const hint = element("div", "portal-search__hint");
    const list = element("ol", "portal-search__list");
    results.append(status, hint, list);
    const more = element("button", "md-button portal-search__more", "显示更多");
    more.type = "button";
    more.hidden = true;
    box.replaceChildren(form, results, more);

    const params = new URLSearchParams(location.search);
    input.value = (params.get("q") || "").trim();

    // the filters' values (data/search-filters.json, from `portal build`: asking Pagefind would fetch
    // every filter's index), once, keeping those the address asked for
    let filtersLoaded = null;
    function loadFilters() {
      if (!filtersLoaded) {
        filtersLoaded = fetch(new URL("data/search-filters.json", root)).then(function (response) {
          if (!response.ok) throw new Error("data/search-filters.json: HTTP " + response.status);
          return response.json();
        }).then(function (all) {
          FILTERS.forEach(function (spec) {
            const values = all[spec[0]] || [];
            const select = selects[spec[0]];
            const wanted = params.get(spec[0]) || select.value;
            values.forEach(function (v) { select.append(new Option(v, v)); });
            select.value = values.includes(wanted) ? wanted : "";
            select.closest("label").hidden = values.length < 2 && !select.value;
          });
        }).catch(function (error) { filtersLoaded = null; throw error; });
      }
      return filtersLoaded;
    }

    let asked = null;  // the query (with its filters) whose results are shown or coming
    let current = null;
    let timer = 0;

    function chosen() {
      const filters = {};
      FILTERS.forEach(function (spec) { if (selects[spec[0]].value) filters[spec[0]] = selects[spec[0]].value; });
      return filters;
    }

    function show(found, from) {
      const items = found.shown.slice(from, from + PAGE).map(function (data) { return result(data, found.modes[0]); });
      if (from === 0) list.replaceChildren(...items);
      else list.append(...items);
      more.hidden = found.exhausted && found.shown.length <= list.children.length;
      return items;
    }

    function describe(found) {
      const count = found.count();
      results.dataset.count = String(count.n);
      status.textContent = "找到" + (count.exact ? " " : "约 ") + number(count.n) + " 个结果";
    }

    // No result for a year: which years the same words have (their results' facets), as buttons.
    function yearHint(parsed, year, without) {
      const counts = {};
      without.shown.forEach(function (data) {
        (((data.meta && data.meta.facets) || "").match(/\by\d{4}\b/g) || []).forEach(function (token) {
          counts[token.slice(1)] = (counts[token.slice(1)] || 0) + 1;
        });
      });
      const years = Object.entries(counts).sort(function (a, b) { return b[0].localeCompare(a[0]); });
      const words = parsed.words.map(function (w) { return w.text; }).join(" ");
      const line = element("p", "portal-search__years");
      line.append("“" + words + "”没有 " + year + " 年的结果。");
      if (years.length) {
        line.append("有结果的年度：");
        years.forEach(function (entry) {
          const button = element("button", "portal-search__year", entry[0] + " 年（" + entry[1] + "）");
          button.type = "button";
          button.addEventListener("click", function () {
            input.value = input.value.replace(new RegExp("(^|\\s)" + year + "(?=\\s|$)"), "$1" + entry[0]).trim();
            update();
          });
          line.append(button);
        });
      }
      hint.replaceChildren(line);
    }

    async function run(query, filters) {
      const key = JSON.stringify([query, filters]);
      if (key === asked) return;
      asked = key;
      hint.replaceChildren();
      if (!query && !Object.keys(filters).length) {
        current = null;
        status.textContent = "";
        list.replaceChildren();
        more.hidden = true;
        delete results.dataset.query;
        delete results.dataset.count;
        results.removeAttribute("aria-busy");
        return;
      }
      let failed = false;
      results.setAttribute("aria-busy", "true");
      status.textContent = "正在搜索…";
      try {
        const api = await pagefind();
        await loadFilters();
        const parsed = parse(query);
        const year = parsed.years[0];
        if (year && selects.year.querySelector('option[value="' + year + '"]') && selects.year.value !== year) {
          selects.year.value = year;  // a year typed in the query is the 年度 filter: shown, and in the address
          const url = new URL(location.href);
          url.searchParams.set("year", year);
          history.replaceState(history.state, "", url);
        }
        const wanted = year ? Object.assign({}, filters, { year: year }) : filters;
        if (!parsed.terms.length && !Object.keys(wanted).length) throw new Error("no words");
        const found = await new Results(api, parsed, wanted).start();
        if (key !== asked) return;
        current = found;
        if (!found.shown.length) {
          list.replaceChildren();
          more.hidden = true;
          results.dataset.count = "0";
          status.textContent = "没有找到与“" + query + "”相关的结果。可以换一个词，或按机关、地区、年度浏览。";
          if (year && parsed.terms.length) {  // the same words in the other years
            const others = Object.assign({}, filters);
            delete others.year;
            const without = await new Results(api, parsed, others).start();
            await without.fill(VERIFY_ALL);
            if (key !== asked) return;
            yearHint(parsed, year, without);
          }
        } else {
          show(found, 0);
          describe(found);
        }
      } catch (error) {
        if (key !== asked) return;
        list.replaceChildren();
        more.hidden = true;
        if (error.message === "no words") {
          status.textContent = "请输入要搜索的词。";
        } else {
          status.textContent = "搜索暂时无法使用，请稍后再试，或按机关、地区、年度浏览。";
          console.error("search:", error);
          failed = true;
        }
      } finally {
        if (key === asked) {
          results.dataset.query = query;  // tests wait for this
          results.removeAttribute("aria-busy");
          if (failed) asked = null;  // the same query, asked again, tries again
        }
      }
    }

    function update() {
      clearTimeout(timer);
      const query = input.value.trim();
      const filters = chosen();
      const url = new URL(location.href);
      url.searchParams.delete("q");
      FILTERS.forEach(function (spec) { url.searchParams.delete(spec[0]); });
      if (query) url.searchParams.set("q", query);
      Object.keys(filters).forEach(function (k) { url.searchParams.set(k, filters[k]); });
      history.replaceState(history.state, "", url);
      run(query, filters);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, DEBOUNCE_MS);
    });
    Object.values(selects).forEach(function (select) { select.addEventListener("change", update); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
    more.addEventListener("click", async function () {
      const found = current;
      if (!found) return;
      more.disabled = true;
      try {
        const from = list.children.length;
        await found.fill(from + PAGE);
        if (found !== current) return;
        const items = show(found, from);
        describe(found);
        if (items.length && more.hidden) items[0].querySelector("a").focus();  // the button is gone: keep focus in the list
      } catch (error) {
        console.error("search:", error);
      } finally {
        more.disabled = false;
      }
    });

    input.focus();
    const header = document.querySelector(".portal-header-search__input");
    if (header) header.value = input.value;
    pagefind().then(loadFilters).then(update, function (error) {
      console.error("search:", error);
      update();
    });
  }

  // ------------------------------------------------------------------ every page: the header field and /

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function searchPage() {
    return new URL("search/", root);
  }

  function enhanceHeader() {
    document.querySelectorAll("form.portal-header-search").forEach(function (form) {
      if (form.dataset.enhanced) return;
      form.dataset.enhanced = "1";
      form.addEventListener("submit", function (event) {
        const input = form.querySelector("input");
        const page = document.getElementById("portal-search-input");
        if (page) {  // already on the search page: search there
          event.preventDefault();
          page.value = input.value;
          page.dispatchEvent(new Event("input"));
          page.form.requestSubmit();
        }
      });
    });
  }

  // "/" as in Material: to the search field from anywhere but a field being typed in
  window.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // not Material's own search toggle: it has no search here
    const field = document.getElementById("portal-search-input")
      || Array.from(document.querySelectorAll(".portal-header-search__input")).find(function (el) {
        return el.offsetParent !== null;
      });
    if (field) {
      field.focus();
      field.select();
    } else {
      location.href = searchPage().href;
    }
  }, true);

  function start() {
    enhanceHeader();
    mount();
  }

  if (typeof document$ !== "undefined") document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
