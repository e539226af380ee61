/* Draws the charts of a page: every div.portal-chart carries its figures as JSON in data-chart
 * (written by `portal build`, src/builder/render/charts.py): bars, or lines over years where a
 * year without a number is a gap, never joined. Chart.js (the site's own copy, assets/vendor/chartjs/,
 * 210 KB) is loaded only by a page that has a chart, once; the 对比 page (compare.js) loads it through
 * window.portalCharts. Material's document$ fires on the first load and after every instant-navigation
 * page change. */
(function () {
  "use strict";
  // no red: red is the ⚠不符 mark's colour, explained in every legend
  var COLOURS = ["#3f51b5", "#26a69a", "#6d4c41", "#fb8c00", "#8e24aa", "#757575", "#43a047"];
  // series told apart by more than colour: two lines with equal values would hide each other
  var POINTS = ["circle", "rect", "rectRot", "crossRot", "star", "line", "cross"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 2], [8, 8], [4, 1]];
  var CONTRADICTED = "⚠不符：与年报自身其他数字不一致的数字";

  // every chart's legend says what ⚠不符 means, the 对比 chart's with the triangle it draws for it
  function legend(note, marker) {
    return {
      display: true,
      position: "bottom",
      labels: {
        usePointStyle: true,
        generateLabels: function (chart) {
          var items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
          if (note) items.push({ text: note, pointStyle: marker || "triangle", fillStyle: "#b71c1c",
                                 strokeStyle: "#b71c1c", lineWidth: 1, hidden: false, datasetIndex: -1 });
          return items;
        }
      },
      onClick: function (event, item, legendItem) {
        if (item.datasetIndex < 0) return;  // the note is no series
        Chart.defaults.plugins.legend.onClick.call(this, event, item, legendItem);
      }
    };
  }
  var script = document.currentScript;
  var library = new URL("../vendor/chartjs/chart.umd.js", script ? script.src : location.href).href;
  var loading = null;

  function chartJs() {
    if (typeof Chart !== "undefined") return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = library;
        tag.onload = resolve;
        tag.onerror = function () { loading = null; reject(new Error("could not load " + library)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function draw() {
    var boxes = document.querySelectorAll("div.portal-chart[data-chart]");
    if (!boxes.length) return;
    chartJs().then(function () { boxes.forEach(drawOne); }, function (error) { console.error("charts:", error); });
  }

  function drawOne(box) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var canvas = box.querySelector("canvas");
    if (!canvas || !canvas.isConnected || Chart.getChart(canvas)) return;
    var spec = JSON.parse(box.getAttribute("data-chart"));
    var single = spec.series.length === 1;
    var line = spec.type === "line";
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          if (line) {
            return { label: s.label, data: s.values, spanGaps: false, borderColor: COLOURS[i % COLOURS.length],
                     backgroundColor: COLOURS[i % COLOURS.length], pointRadius: 4 + 2 * (i % 4), borderWidth: 2,
                     pointBackgroundColor: "#fff", pointBorderWidth: 2,
                     pointStyle: POINTS[i % POINTS.length], borderDash: DASHES[i % DASHES.length] };
          }
          return {
            label: s.label,
            data: s.values,
            maxBarThickness: 56,
            backgroundColor: single && !spec.time ? spec.labels.map(function (_, j) { return COLOURS[j % COLOURS.length]; })
                                                  : COLOURS[i % COLOURS.length]
          };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: {
          legend: legend(spec.note || CONTRADICTED + "，不计入图中数字", "triangle"),
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + "：" + item.formattedValue + " " + spec.unit; }
            }
          }
        },
        scales: {
          x: { stacked: spec.stacked },
          y: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 },
               title: { display: true, text: spec.unit } }
        }
      }
    });
  }

  window.portalCharts = { load: chartJs, colours: COLOURS, points: POINTS, dashes: DASHES, legend: legend,
                          contradicted: CONTRADICTED };

  if (typeof document$ !== "undefined") {
    document$.subscribe(draw);
  } else {
    document.addEventListener("DOMContentLoaded", draw);
  }
})();
