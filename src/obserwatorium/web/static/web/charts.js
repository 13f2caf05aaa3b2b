/* Draws every Vega-Lite chart of the page with the offline bundle (static vendor/vega-bundle.js).
 * A chart is a <div data-spec="ID"> whose spec is the JSON of <script type="application/json" id="ID">;
 * embedding options (renderer, actions, translated labels) come from the JSON block "chart-options".
 * No inline script anywhere: the Content-Security-Policy forbids it. */
(function () {
  "use strict";

  function readJson(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  // An exported SVG/PNG is named after what it shows (the indicator and its years: data-filename).
  function optionsFor(container, options) {
    return container.dataset.filename ? Object.assign({}, options, { downloadFileName: container.dataset.filename }) : options;
  }

  // A chart's parameter kept in the address (data-url-param, e.g. the highlighted gmina): choosing it adds a
  // history entry, so the address can be shared and the back button returns to the previous choice.
  function followAddress(view, name) {
    var restoring = false;
    view.addSignalListener(name, function (_signal, value) {
      if (restoring) {
        return;
      }
      var url = new URL(window.location.href);
      if (value) {
        url.searchParams.set(name, value);
      } else {
        url.searchParams.delete(name);
      }
      // A form of the page (the year's) keeps the choice when it reloads the page.
      document.querySelectorAll('input[type="hidden"][name="' + name + '"]').forEach(function (input) {
        input.value = value || "";
      });
      if (url.href !== window.location.href) {
        window.history.pushState(null, "", url.href);
      }
    });
    window.addEventListener("popstate", function () {
      restoring = true;
      view.signal(name, new URL(window.location.href).searchParams.get(name) || "").runAsync().then(function () {
        restoring = false;
      });
    });
  }

  function draw(container, options) {
    var spec = readJson(container.dataset.spec);
    if (!spec) {
      return;
    }
    window.vegaEmbed(container, spec, optionsFor(container, options)).then(function (result) {
      if (container.dataset.urlParam) {
        followAddress(result.view, container.dataset.urlParam);
      }
      // vega-embed's actions menu is a <summary> holding only an icon: give it a name screen readers announce.
      var menu = container.querySelector("details > summary");
      if (menu && !menu.getAttribute("aria-label")) {
        menu.setAttribute("aria-label", (options.i18n && options.i18n.CLICK_TO_VIEW_ACTIONS) || "Chart actions");
      }
      container.dataset.drawn = "true";
      // Other scripts finish a drawn chart (maps.js: hatching, keyboard access) when it is there.
      container.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true }));
    }).catch(function (error) {
      container.dataset.drawn = "failed";
      container.textContent = container.dataset.error || "The chart could not be drawn; the table holds the same values.";
      console.error(error);
    });
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") {
      console.error("the chart bundle (vendor/vega-bundle.js) is not loaded");
      return;
    }
    var options = readJson("chart-options") || { renderer: "svg", actions: false, defaultStyle: false, tooltip: { disableDefaultStyle: true } };
    document.querySelectorAll("[data-spec]").forEach(function (container) {
      draw(container, options);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
