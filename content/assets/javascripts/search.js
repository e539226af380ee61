/* The search page: a small UI of our own over Pagefind's JS API, with the index served from this
 * site (site/pagefind/, written by `mkdocs build`, see src/builder/render/search_index.py). A query
 * fetches pagefind.js, its worker and wasm, the index metadata, the index chunks of its words and
 * one fragment per result shown: results come PAGE at a time, "显示更多" fetches the next ones. On a
 * large site the index comes in parts (pagefind/shards.json lists them), each with its own metadata
 * and chunks, merged into one list of results.
 * Runs only on the page that has div#portal-search; Material's document$ fires on the first load and
 * after every instant-navigation page change. search/?q=行政复议 opens with that query, and typing
 * keeps ?q= in the address. */
(function () {
  "use strict";
  const PAGE = 10;
  const DEBOUNCE_MS = 300;
  const SECTIONS = 3;  // at most this many sections of a page under its result, as Pagefind's own UI
  const script = document.currentScript;
  const root = new URL("../../", script ? script.src : location.href);  // this file is assets/javascripts/
  const bundle = new URL("pagefind/", root);
  let loading = null;

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind.js", bundle).href).then(async function (api) {
        const options = { baseUrl: root.pathname };  // the site may live under a sub-path
        await api.options(options);
        // a large site's index comes in parts (pagefind-1/, …), searched together with this one
        const shards = await fetch(new URL("shards.json", bundle)).then(function (response) {
          if (!response.ok) throw new Error("pagefind/shards.json: HTTP " + response.status);
          return response.json();
        });
        for (const shard of shards) await api.mergeIndex(new URL(shard, root).pathname, options);
        return api;
      });
      loading.catch(function () { loading = null; });  // the next query tries again
    }
    return loading;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Material's permalink sign, indexed with every heading.
  function clean(text) {
    return text.replace(/¶/g, "");
  }

  // Pagefind escapes < and > in the page text and wraps the matched words in <mark> (build_excerpt in
  // pagefind.js). Rebuild it from text and <mark> only, so no page text can ever become markup.
  function excerpt(html) {
    const template = document.createElement("template");
    template.innerHTML = html;  // inert: nothing inside a template runs or loads
    const paragraph = element("p", "portal-search__excerpt");
    template.content.childNodes.forEach(function (node) {
      paragraph.append(node.nodeName === "MARK" ? element("mark", null, node.textContent) : clean(node.textContent));
    });
    return paragraph;
  }

  // The page's sections that hold the most matches, in page order; not the page's own title.
  function sections(data, title) {
    const all = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && clean(sub.title || "").trim() !== title;
    });
    const best = all.slice().sort(function (a, b) { return b.locations.length - a.locations.length; })
      .slice(0, SECTIONS);
    return all.filter(function (sub) { return best.includes(sub); });
  }

  function result(data) {
    const title = clean((data.meta && data.meta.title) || "").trim() || data.url;
    const item = element("li", "portal-search__result");
    const link = element("a", "portal-search__link", title);
    link.href = data.url;
    item.append(link, excerpt(data.excerpt || ""));
    const subs = sections(data, title);
    if (subs.length) {
      const list = element("ul", "portal-search__sections");
      subs.forEach(function (sub) {
        const entry = element("li", "portal-search__section");
        const anchor = element("a", "portal-search__section-link", clean(sub.title || "").trim());
        anchor.href = sub.url;
        entry.append(anchor, excerpt(sub.excerpt || ""));
        list.append(entry);
      });
      item.append(list);
    }
    return item;
  }

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
      id: "portal-search-input", type: "search", placeholder: "机关名称、地区或年报中的词句，如“行政复议”",
      autocomplete: "off", spellcheck: false, enterKeyHint: "search"
    });
    form.append(label, input);
    const results = element("div", "portal-search__results");
    results.setAttribute("aria-live", "polite");
    const status = element("p", "portal-search__status");
    const list = element("ol", "portal-search__list");
    results.append(status, list);
    const more = element("button", "md-button portal-search__more", "显示更多");
    more.type = "button";
    more.hidden = true;
    box.replaceChildren(form, results, more);

    let asked = null;  // the query whose results are shown or coming
    let found = [];    // its results, of which `shown` have their fragments on screen
    let shown = 0;
    let timer = 0;

    // Shows the next PAGE results; false when a newer query came meanwhile.
    async function showMore(query) {
      const page = await Promise.all(found.slice(shown, shown + PAGE).map(function (r) { return r.data(); }));
      if (query !== asked) return false;
      const items = page.map(result);
      if (shown === 0) list.replaceChildren(...items);
      else list.append(...items);
      shown += items.length;
      more.hidden = shown >= found.length;
      return items;
    }

    async function run(query) {
      if (query === asked) return;
      asked = query;
      if (!query) {
        found = [];
        status.textContent = "";
        list.replaceChildren();
        more.hidden = true;
        delete results.dataset.query;
        results.removeAttribute("aria-busy");
        return;
      }
      let failed = false;
      results.setAttribute("aria-busy", "true");
      status.textContent = "正在搜索…";
      try {
        const api = await pagefind();
        const search = await api.search(query);
        if (query !== asked) return;
        found = search.results;
        shown = 0;
        if (!found.length) {
          list.replaceChildren();
          more.hidden = true;
          status.textContent = "没有找到与“" + query + "”相关的结果。可以换一个词，或按机关、地区、年度浏览。";
        } else if (await showMore(query)) {
          status.textContent = "找到 " + found.length + " 个结果";
        }
      } catch (error) {
        if (query !== asked) return;
        list.replaceChildren();
        more.hidden = true;
        status.textContent = "搜索暂时无法使用，请稍后再试，或按机关、地区、年度浏览。";
        console.error("search:", error);
        failed = true;
      } finally {
        if (query === asked) {
          results.dataset.query = query;  // tests wait for this
          results.removeAttribute("aria-busy");
          if (failed) asked = null;  // the same query, asked again, tries again
        }
      }
    }

    function update() {
      clearTimeout(timer);
      const query = input.value.trim();
      const url = new URL(location.href);
      if (query) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      history.replaceState(history.state, "", url);
      run(query);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, DEBOUNCE_MS);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
    more.addEventListener("click", async function () {
      more.disabled = true;
      const query = asked;
      try {
        const items = await showMore(query);
        if (items && items.length && more.hidden) items[0].querySelector("a").focus();  // the button is gone: keep focus in the list
      } catch (error) {
        console.error("search:", error);
      } finally {
        more.disabled = false;
      }
    });

    const query = (new URLSearchParams(location.search).get("q") || "").trim();
    input.value = query;
    input.focus();
    run(query);
  }

  if (typeof document$ !== "undefined") document$.subscribe(mount);
  else document.addEventListener("DOMContentLoaded", mount);
})();
