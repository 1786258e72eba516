/* The SLA tracker's pages: a little help that the pages never depend on.
   - The record form: "Add another tariff/KPI" copies an empty row (the form always has
     three spare rows, so it works without this).
   - The tracker: once 4 SLAs are ticked for comparison, the other boxes are disabled (the
     server refuses more than 4 with a message either way). */
(function () {
  "use strict";

  function addRows() {
    document.querySelectorAll("[data-sla-rows]").forEach(function (group) {
      var button = group.querySelector("[data-sla-add-row]");
      var body = group.querySelector("[data-sla-row-body]");
      if (!button || !body) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var rows = body.querySelectorAll("[data-sla-row]");
        var last = rows[rows.length - 1];
        if (!last) {
          return;
        }
        var copy = last.cloneNode(true);
        var number = rows.length + 1;
        copy.querySelectorAll("input, select").forEach(function (field) {
          if (field.tagName === "SELECT") {
            field.selectedIndex = 0;
          } else {
            field.value = "";
          }
          var label = field.getAttribute("aria-label");
          if (label) {
            field.setAttribute("aria-label", label.replace(/\d+:/, number + ":"));
          }
        });
        body.appendChild(copy);
        var first = copy.querySelector("input, select");
        if (first) {
          first.focus();
        }
      });
    });
  }

  function limitCompare() {
    var form = document.querySelector("[data-sla-compare]");
    if (!form) {
      return;
    }
    var max = parseInt(form.getAttribute("data-max"), 10) || 4;
    var boxes = form.querySelectorAll('input[name="ids"]');
    function update() {
      var ticked = form.querySelectorAll('input[name="ids"]:checked').length;
      boxes.forEach(function (box) {
        box.disabled = !box.checked && ticked >= max;
      });
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    addRows();
    limitCompare();
  });
})();
