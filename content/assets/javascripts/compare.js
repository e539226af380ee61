/* The 对比 page (compare/index.md, written by `portal build`: src/builder/render/compare.py): choose
 * agencies (search as you type, grouped by region), years and a measure; get a table agencies × years,
 * a chart and a CSV of exactly that, and an address that reproduces it:
 *   compare/?a=<agency>&a=<agency>&y=2021-2024&m=<measure>
 * Data: compare/agencies.json (every agency once) and compare/a/<agency>.json (one agency's reports,
 * each measure's value and, where it is not simply known, its status and note). Nothing is fetched
 * from another host; Chart.js is the site's own copy, loaded by charts.js (window.portalCharts). */
(function () {
  "use strict";

  var SHOWN = 40;  // agencies listed while typing, at most
  var KINDS = { u: "unknown", c: "contradicted", r: "corrected", n: "undefined", f: "few" };
  var UNKNOWN_TITLE = "报告未印出该数值，或未能可靠读取；未知不等于 0";
  var CONTRADICTED_TITLE = "该数字与报告自身的其他数字不一致，见表下的注";
  var CORRECTED_TITLE = "维护者人工更正的数值";

  function init() {
    var root = document.getElementById("portal-compare");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    new Compare(root).start();
  }

  function Compare(root) {
    this.root = root;
    this.base = new URL(".", location.href);  // the page's folder: the data files are beside it
    this.input = root.querySelector("#portal-compare-agency");
    this.options = root.querySelector("#portal-compare-options");
    this.chosenList = root.querySelector(".portal-compare__chosen");
    this.from = root.querySelector("#portal-compare-from");
    this.to = root.querySelector("#portal-compare-to");
    this.measureSelect = root.querySelector("#portal-compare-measure");
    this.termLink = root.querySelector(".portal-compare__term");
    this.status = root.querySelector(".portal-compare__status");
    this.result = root.querySelector(".portal-compare__result");
    this.table = root.querySelector(".portal-compare__table-box table");
    this.notesBox = root.querySelector(".portal-compare__notes");
    this.canvas = root.querySelector(".portal-compare__chart canvas");
    this.chosen = [];  // agency keys, in the order chosen
    this.files = {};  // agency key → its data (a promise)
    this.active = -1;  // the highlighted option while typing
  }

  Compare.prototype.start = function () {
    var self = this;
    fetch(new URL(this.root.dataset.index, this.base)).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (index) {
      self.index = index;
      self.byKey = {};
      index.agencies.forEach(function (row) {
        var region = index.regions[row[1]];
        var agency = { name: row[0], region: region, level: level(region), years: row[2], key: row[3] || row[0] };
        self.byKey[agency.key] = agency;
      });
      self.agencies = index.agencies.map(function (row) { return self.byKey[row[3] || row[0]]; });
      self.input.disabled = false;
      self.bind();
      self.readAddress();
      self.update();
    }).catch(function () {
      self.say("机关列表未能载入，请刷新页面重试。");
    });
  };

  Compare.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.search(); });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    this.input.addEventListener("blur", function () { setTimeout(function () { self.close(); }, 150); });
    this.options.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.options.addEventListener("click", function (event) {
      var option = event.target.closest("[data-key]");
      if (option) self.choose(option.dataset.key);
    });
    this.chosenList.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-key]");
      if (!button) return;
      self.chosen = self.chosen.filter(function (key) { return key !== button.dataset.key; });
      self.update();
      self.input.focus();
    });
    [this.from, this.to, this.measureSelect].forEach(function (select) {
      select.addEventListener("change", function () {
        if (select === self.from && +self.from.value > +self.to.value) self.to.value = self.from.value;
        if (select === self.to && +self.to.value < +self.from.value) self.from.value = self.to.value;
        self.update();
      });
    });
    this.root.querySelector("[data-action=csv]").addEventListener("click", function () { self.csv(); });
    this.root.querySelector("[data-action=copy]").addEventListener("click", function (event) {
      self.copyLink(event.currentTarget);
    });
  };

  // ------------------------------------------------------------ the address

  Compare.prototype.readAddress = function () {
    var params = new URLSearchParams(location.search);
    var self = this;
    params.getAll("a").forEach(function (key) {
      if (self.byKey[key] && self.chosen.indexOf(key) < 0) self.chosen.push(key);
    });
    var years = (params.get("y") || "").match(/^(\d{4})(?:-(\d{4}))?$/);
    if (years) {
      this.setYear(this.from, years[1]);
      this.setYear(this.to, years[2] || years[1]);
    }
    var measure = params.get("m");
    if (measure && this.measureSelect.querySelector('option[value="' + CSS.escape(measure) + '"]')) {
      this.measureSelect.value = measure;
    }
  };

  Compare.prototype.setYear = function (select, year) {
    if (select.querySelector('option[value="' + year + '"]')) select.value = year;
  };

  Compare.prototype.address = function () {
    var params = new URLSearchParams();
    this.chosen.forEach(function (key) { params.append("a", key); });
    params.set("y", this.from.value === this.to.value ? this.from.value : this.from.value + "-" + this.to.value);
    params.set("m", this.measureSelect.value);
    return location.pathname + "?" + params.toString();
  };

  // ------------------------------------------------------------ search as you type

  Compare.prototype.search = function () {
    var query = this.input.value.replace(/\s+/g, "");
    this.active = -1;
    if (!query) return this.close();
    var self = this;
    var found = [];
    for (var i = 0; i < this.agencies.length && found.length < SHOWN; i++) {
      var agency = this.agencies[i];
      if (self.chosen.indexOf(agency.key) < 0 &&
          (agency.name.indexOf(query) >= 0 || agency.region.replace(/\//g, "").indexOf(query) >= 0)) {
        found.push(agency);
      }
    }
    var groups = {};
    var order = [];
    found.forEach(function (agency) {
      if (!groups[agency.region]) { groups[agency.region] = []; order.push(agency.region); }
      groups[agency.region].push(agency);
    });
    this.options.textContent = "";
    if (!found.length) {
      this.options.appendChild(element("p", "portal-compare__none", "没有找到名称或地区含“" + query + "”的机关。"));
    }
    order.forEach(function (region) {
      var group = element("div", "portal-compare__group");
      group.setAttribute("role", "group");
      var label = element("div", "portal-compare__group-label", region.split("/").join(" / ") || "地区未知");
      label.id = "portal-compare-g" + order.indexOf(region);
      group.setAttribute("aria-labelledby", label.id);
      group.appendChild(label);
      groups[region].forEach(function (agency) {
        var option = element("div", "portal-compare__option");
        option.setAttribute("role", "option");
        option.id = "portal-compare-o" + self.agencies.indexOf(agency);
        option.dataset.key = agency.key;
        option.appendChild(element("span", "portal-compare__option-name", agency.name));
        option.appendChild(element("span", "portal-compare__option-years",
                                   agency.level + " · " + yearsText(agency.years)));
        group.appendChild(option);
      });
      self.options.appendChild(group);
    });
    this.options.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Compare.prototype.key = function (event) {
    var options = this.options.hidden ? [] : this.options.querySelectorAll("[role=option]");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === this.active ? "true" : "false"); }, this);
      options[this.active].scrollIntoView({ block: "nearest" });
      this.input.setAttribute("aria-activedescendant", options[this.active].id);
    } else if (event.key === "Enter") {
      event.preventDefault();
      var option = options[this.active >= 0 ? this.active : 0];
      if (option) this.choose(option.dataset.key);
    } else if (event.key === "Escape") {
      this.close();
    }
  };

  Compare.prototype.close = function () {
    this.options.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Compare.prototype.choose = function (key) {
    if (this.chosen.indexOf(key) < 0) this.chosen.push(key);
    this.input.value = "";
    this.close();
    this.update();
    this.input.focus();
  };

  // ------------------------------------------------------------ data

  Compare.prototype.file = function (key) {
    if (!this.files[key]) {
      var agency = this.byKey[key];
      this.files[key] = fetch(new URL("a/" + encodeURIComponent(agency.key) + ".json", this.base))
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
    }
    return this.files[key];
  };

  Compare.prototype.measure = function () {
    var option = this.measureSelect.selectedOptions[0];
    return { key: option.value, label: option.textContent, index: +option.dataset.i, unit: option.dataset.unit,
             templates: option.dataset.templates.split(" "), term: option.dataset.term };
  };

  Compare.prototype.years = function () {
    var years = [];
    for (var y = +this.from.value; y <= +this.to.value; y++) years.push(y);
    return years;
  };

  // ------------------------------------------------------------ the table, the chart

  Compare.prototype.update = function () {
    var self = this;
    history.replaceState(history.state, "", this.address());
    this.renderChosen();
    var measure = this.measure();
    this.termLink.href = this.root.dataset.glossary + (measure.term ? "#" + measure.term : "");
    if (!this.chosen.length) {
      this.result.hidden = true;
      this.say("请在上面输入机关名称或地区，选择一个或几个机关。");
      return;
    }
    var keys = this.chosen.slice();
    this.say("正在载入……");
    Promise.all(keys.map(function (key) { return self.file(key); })).then(function (files) {
      if (keys.join("\n") !== self.chosen.join("\n")) return;  // the selection changed meanwhile
      self.rows = self.tabulate(files, measure, self.years());
      self.draw(measure);
    }).catch(function () {
      self.say("数据未能载入，请刷新页面重试。");
    });
  };

  Compare.prototype.renderChosen = function () {
    var self = this;
    this.chosenList.textContent = "";
    this.chosen.forEach(function (key) {
      var agency = self.byKey[key];
      var item = element("li", "portal-compare__chip");
      item.appendChild(element("span", "", agency.name));
      var remove = element("button", "portal-compare__remove", "×");
      remove.type = "button";
      remove.dataset.key = key;
      remove.setAttribute("aria-label", "移除 " + agency.name);
      item.appendChild(remove);
      self.chosenList.appendChild(item);
    });
  };

  /* One row per agency: for each year a cell {value, kind, note, page, template}. kind: known,
   * unknown, contradicted, corrected, absent (the year's format has no such measure), none (no report). */
  Compare.prototype.tabulate = function (files, measure, years) {
    var self = this;
    return files.map(function (data, n) {
      var byYear = {};
      data.reports.forEach(function (report) { byYear[report.year] = report; });
      return {
        agency: self.byKey[self.chosen[n]], data: data,
        cells: years.map(function (year) {
          var report = byYear[year];
          if (!report) return { year: year, kind: "none" };
          var cell = { year: year, template: report.template, page: report.page };
          if (measure.templates.indexOf(report.template) < 0) {
            cell.kind = "absent";
            return cell;
          }
          var mark = report.marks[String(measure.index)];
          cell.value = report.values[measure.index];
          cell.kind = mark ? KINDS[mark[0]] : (cell.value === null ? "unknown" : "known");
          cell.note = mark && mark[1] >= 0 ? data.notes[mark[1]] : "";
          return cell;
        })
      };
    });
  };

  Compare.prototype.draw = function (measure) {
    var years = this.years();
    var notes = [];
    var table = this.table;
    table.textContent = "";
    var caption = element("caption");
    var term = element("a", "portal-term", measure.label);
    term.href = this.termLink.href;
    caption.appendChild(term);
    caption.appendChild(document.createTextNode("（" + (measure.unit === "%" ? "%" : "单位：" + measure.unit) + "）"));
    table.appendChild(caption);
    var head = table.createTHead().insertRow();
    head.appendChild(element("th", "", "机关"));
    years.forEach(function (year) { head.appendChild(element("th", "", year + " 年")); });
    var body = table.createTBody();
    this.rows.forEach(function (row) {
      var tr = body.insertRow();
      var name = element("th", "portal-compare__agency");
      name.setAttribute("scope", "row");
      var link = element("a", "", row.agency.name);
      link.href = siteUrl(row.data.page);
      name.appendChild(link);
      name.appendChild(element("span", "portal-compare__region", row.agency.region.split("/").join(" / ")));
      tr.appendChild(name);
      row.cells.forEach(function (cell) { tr.appendChild(cellElement(cell, measure, notes, row.agency.name)); });
    });
    this.notesBox.textContent = "";
    if (notes.length) {
      var list = element("ol", "portal-compare__note-list");
      notes.forEach(function (note) { list.appendChild(element("li", "", note)); });
      this.notesBox.appendChild(element("p", "", "标“⚠不符”的数字与同一份年报中的其他数字不一致，照印，请对照原文："));
      this.notesBox.appendChild(list);
    }
    this.result.hidden = false;
    this.say(this.rows.length + " 个机关，" + years[0] + (years.length > 1 ? "—" + years[years.length - 1] : "") +
             " 年：" + measure.label + "。");
    this.chart(measure, years);
  };

  function cellElement(cell, measure, notes, agencyName) {
    var td = element("td");
    td.dataset.kind = cell.kind;
    if (cell.kind === "none") {
      td.appendChild(muted("无年报", "本站没有该机关这一年的年报"));
      return td;
    }
    var target = element("a");
    target.href = siteUrl(cell.page);
    if (cell.kind === "absent") {
      target.appendChild(muted("无此项", "该年年报用 " + cell.template + " 版格式，没有这一项"));
    } else if (cell.kind === "undefined") {
      target.appendChild(muted("无法计算", cell.note || "分母为 0，无法计算比例"));
    } else if (cell.kind === "few") {  // below MIN_BASE: the counts, never a percentage (render/policy.py)
      target.appendChild(muted(cell.note || "样本太少", "分母不足 10 件：只列件数，不算比例，不画入图中"));
    } else if (cell.kind === "unknown") {
      var abbr = element("abbr", "", "未知");
      abbr.title = cell.note ? UNKNOWN_TITLE + "（" + cell.note + "）" : UNKNOWN_TITLE;
      target.appendChild(abbr);
    } else {
      target.appendChild(document.createTextNode(number(cell.value, measure)));
    }
    td.appendChild(target);
    if (cell.kind === "contradicted") {
      var text = agencyName + " " + cell.year + " 年：" + (cell.note || "与报告自身的其他数字不一致") + "。";
      if (notes.indexOf(text) < 0) notes.push(text);
      var mark = element("sup", "portal-mark portal-mark--contradicted");
      var sign = element("abbr", "", "⚠不符");
      sign.title = CONTRADICTED_TITLE;
      mark.appendChild(sign);
      mark.appendChild(document.createTextNode("注" + (notes.indexOf(text) + 1)));
      td.appendChild(mark);
    } else if (cell.kind === "corrected") {
      var corrected = element("sup", "portal-mark portal-mark--corrected");
      var word = element("abbr", "", "更正");
      word.title = CORRECTED_TITLE;
      corrected.appendChild(word);
      td.appendChild(corrected);
    }
    return td;
  }

  Compare.prototype.chart = function (measure, years) {
    var self = this;
    if (!window.portalCharts) return;
    window.portalCharts.load().then(function () {
      var old = Chart.getChart(self.canvas);
      if (old) old.destroy();
      var colours = window.portalCharts.colours;
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      var bars = years.length === 1;  // one year: bars side by side; over years: lines with gaps
      new Chart(self.canvas, {
        type: bars ? "bar" : "line",
        data: {
          labels: years.map(function (y) { return y + " 年"; }),
          datasets: self.rows.map(function (row, i) {
            var colour = colours[i % colours.length];
            var points = window.portalCharts.points;
            return {
              label: row.agency.name,
              borderDash: window.portalCharts.dashes[i % window.portalCharts.dashes.length],
              // a year without a known number is a gap, never joined across
              data: row.cells.map(function (c) { return c.kind === "known" || c.kind === "corrected" ||
                                                       c.kind === "contradicted" ? c.value : null; }),
              spanGaps: false, borderColor: colour, backgroundColor: colour, borderWidth: 2, maxBarThickness: 56,
              // hollow points of different shapes and sizes: equal values of two agencies both show
              pointRadius: row.cells.map(function (c) { return c.kind === "contradicted" ? 8 : 4 + 2 * (i % 4); }),
              pointBackgroundColor: "#fff", pointBorderWidth: 2,
              pointStyle: row.cells.map(function (c) { return c.kind === "contradicted" ? "triangle" : points[i % points.length]; }),
              kinds: row.cells.map(function (c) { return c.kind; })
            };
          })
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: {
            legend: window.portalCharts.legend(window.portalCharts.contradicted + "（照印，见表下的注）", "triangle"),
            tooltip: {
              callbacks: {
                label: function (item) {
                  var kind = item.dataset.kinds[item.dataIndex];
                  return item.dataset.label + "：" + number(item.raw, measure) + unitText(measure) +
                    (kind === "contradicted" ? "（⚠不符）" : kind === "corrected" ? "（更正）" : "");
                }
              }
            }
          },
          scales: { y: { beginAtZero: true, ticks: { precision: measure.unit === "%" ? 1 : 0 },
                         title: { display: true, text: measure.unit } } }
        }
      });
    }, function () { /* the table stands without the chart */ });
  };

  // ------------------------------------------------------------ CSV and the link

  /* The CSV: one row per agency and year, two header rows (the Chinese labels, then the keys) as every
   * CSV of the site; its Table Schema is compare/对比.schema.json (render/datapackage.py: change both). */
  var CSV_STATUS = { known: "已知", unknown: "未知", contradicted: "⚠不符", corrected: "人工更正",
                     absent: "该年格式无此项", none: "无年报", undefined: "无法计算", few: "样本太少" };

  Compare.prototype.csv = function () {
    var measure = this.measure();
    var years = this.years();
    var lines = [["机关", "地区", "年度", "指标", "数值", "单位", "状态", "说明", "年报页面"],
                 ["agency", "region", "year", "measure", "value", "unit", "status", "note", "page"]];
    this.rows.forEach(function (row) {
      row.cells.forEach(function (cell) {
        var shown = cell.kind === "known" || cell.kind === "corrected" || cell.kind === "contradicted";
        var note = cell.kind === "contradicted" ? (cell.note || "与报告自身的其他数字不一致") :
          cell.kind === "corrected" ? (cell.note || "") : cell.kind === "undefined" ? "分母为 0" :
          cell.kind === "few" ? (cell.note || "样本太少") : "";
        lines.push([row.agency.name, row.agency.region.split("/").join(" / "), String(cell.year), measure.label,
                    shown ? String(cell.value) : "", measure.unit, CSV_STATUS[cell.kind], note,
                    cell.page ? siteUrl(cell.page) : ""]);
      });
    });
    var text = "\ufeff" + lines.map(function (line) { return line.map(csvField).join(","); }).join("\r\n") + "\r\n";
    var link = element("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    link.download = "对比-" + measure.label.replace(/[（(].*$/, "") + "-" + years[0] +
      (years.length > 1 ? "-" + years[years.length - 1] : "") + ".csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  };

  Compare.prototype.copyLink = function (button) {
    var done = function () { button.textContent = "已复制链接"; setTimeout(function () { button.textContent = "复制本页链接"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(location.href).then(done, function () { prompt("复制本页链接：", location.href); });
    } else {
      prompt("复制本页链接：", location.href);
    }
  };

  Compare.prototype.say = function (text) { this.status.textContent = text; };

  // ------------------------------------------------------------ small pieces

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function muted(text, title) {
    var node = element("span", "portal-compare__muted", text);
    node.title = title;
    return node;
  }

  function number(value, measure) {
    if (value === null || value === undefined) return "";
    return measure.unit === "%" ? value.toFixed(1) + "%" : String(value);
  }

  function unitText(measure) { return measure.unit === "%" ? "" : " " + measure.unit; }

  // as render/search_fields.py level_of: by the depth of the region (省/市/区县)
  function level(region) {
    return region ? ["省级", "市级"][region.split("/").length - 1] || "县级" : "地区未知";
  }

  function yearsText(years) {
    if (!years.length) return "年度未知";
    return years.length === 1 ? years[0] + " 年" : years[0] + "—" + years[years.length - 1] + " 年（" + years.length + " 份）";
  }

  function csvField(text) {
    text = String(text);
    if (/^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = "'" + text;  // no formula in a spreadsheet
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // the data files give site addresses relative to the site's root; the page is compare/ under it
  function siteUrl(path) { return new URL("../" + path, new URL(".", location.href)).href; }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
