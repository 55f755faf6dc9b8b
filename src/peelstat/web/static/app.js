// peelstat dashboard: draw each chart from the Vega-Lite spec in its page, and submit the
// pickers when one changes. No network request leaves the server the page came from.
"use strict";
window.peelstatViews = {};
function drawCharts() {
  document.querySelectorAll("div.vega[data-spec]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    // ast + expr: expressions interpreted (static/interpreter.js), never eval'd (no 'unsafe-eval')
    var options = { renderer: "svg", actions: false, defaultStyle: false,
                    ast: true, expr: vega.expressionInterpreter };
    vegaEmbed(el, spec, options)
      .then(function (result) { window.peelstatViews[el.id] = result.view; el.dataset.rendered = "yes"; })
      .catch(function (error) { el.textContent = "The chart could not be drawn: " + error; el.dataset.rendered = "error"; });
  });
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  drawCharts();
});
