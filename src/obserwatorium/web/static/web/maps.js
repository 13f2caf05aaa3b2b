/* What a choropleth map adds to the chart drawing of charts.js, once a map is drawn ("chart:drawn"):
 * - areas without a value are hatched (the spec fills them with the no-data grey; print and downloads keep
 *   the grey and its legend entry);
 * - every member area is reachable with the keyboard (Tab): focus shows the area's name, value and flag
 *   beside it, as a pointer's tooltip does, and Escape hides it (WCAG 2.1.1, 1.4.13).
 * No inline script or style attribute in the markup: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var NO_DATA = "#d4d8dd";
  var CONTEXT = "#f1f3f5";

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    return element;
  }

  function hatchMissing(container, svg) {
    var id = container.id + "-hatch";
    if (!svg.querySelector("#" + id)) {
      var pattern = svgElement("pattern", { id: id, patternUnits: "userSpaceOnUse", width: 7, height: 7,
                                            patternTransform: "rotate(45)" });
      pattern.appendChild(svgElement("rect", { width: 7, height: 7, fill: NO_DATA }));
      pattern.appendChild(svgElement("line", { x1: 0, y1: 0, x2: 0, y2: 7, stroke: "#5d6773", "stroke-width": 2.2 }));
      var defs = svgElement("defs", {});
      defs.appendChild(pattern);
      svg.insertBefore(defs, svg.firstChild);
    }
    svg.querySelectorAll('[fill="' + NO_DATA + '"]').forEach(function (area) {
      area.setAttribute("fill", "url(#" + id + ")");
      area.classList.add("no-data");
    });
  }

  function reachableAreas(container, svg) {
    var frame = container.parentElement;
    var tip = document.createElement("div");
    tip.className = "map-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true"); // the focused area's own label is what a screen reader says
    frame.appendChild(tip);

    function hide() { tip.hidden = true; }

    svg.querySelectorAll('[role="graphics-symbol"][aria-label]').forEach(function (area) {
      var fill = area.getAttribute("fill");
      if (!fill || fill === CONTEXT || area.closest(".role-legend")) {
        return; // titles, legend entries and the gminy outside the association carry no value of their own
      }
      area.setAttribute("tabindex", "0");
      area.addEventListener("focus", function () {
        var box = area.getBoundingClientRect();
        var origin = frame.getBoundingClientRect();
        tip.textContent = area.getAttribute("aria-label");
        tip.style.left = (box.left - origin.left + box.width / 2) + "px";
        tip.style.top = (box.top - origin.top) + "px";
        tip.hidden = false;
      });
      area.addEventListener("blur", hide);
      area.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          hide();
        }
      });
    });
  }

  document.addEventListener("chart:drawn", function (event) {
    var container = event.target;
    if (!container.classList || !container.classList.contains("map")) {
      return;
    }
    var svg = container.querySelector("svg");
    if (!svg) {
      return;
    }
    hatchMissing(container, svg);
    reachableAreas(container, svg);
  });
})();
