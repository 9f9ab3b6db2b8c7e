// The slippy map of "where is the problem?": only where the profile has a tile server, the
// browser runs JavaScript and has not asked to save data. It replaces the server-drawn SVG map;
// without it, that map (a clickable image with pan and zoom links) does the same job.
(function () {
  "use strict";
  function load(box) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = box.getAttribute("data-leaflet-js");
    js.onload = function () { start(box); };
    document.head.appendChild(js);  // if it fails to load, the SVG map simply stays
  }
  function escapeHtml(text) {  // Leaflet writes attributions as HTML
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function go(box, lat, lon) {
    var url = new URL(box.getAttribute("data-choose"), window.location.href);
    url.searchParams.set("lat", lat.toFixed(6));
    url.searchParams.set("lon", lon.toFixed(6));
    window.location.assign(url.toString());
  }
  function showPins(box, map, layer) {
    var b = map.getBounds(), url = new URL(box.getAttribute("data-pins"), window.location.href);
    url.searchParams.set("b", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) {
      return x.toFixed(5);
    }).join(","));
    fetch(url.toString(), { headers: { Accept: "application/json" } }).then(function (r) {
      return r.ok ? r.json() : [];
    }).then(function (pins) {
      layer.clearLayers();
      pins.forEach(function (p) {
        var tip = document.createElement("span");
        tip.textContent = p.title;  // reporters' words: text, never HTML
        L.circleMarker([p.lat, p.lon], { radius: 7, weight: 2, color: "#fff", fillColor: "#c0392b", fillOpacity: 1 })
          .bindTooltip(tip).on("click", function () { window.location.assign(p.url); }).addTo(layer);
      });
    }).catch(function () { /* pins are a help, not a need */ });
  }
  function start(box) {
    if (!window.L) { return; }
    var bbox = box.getAttribute("data-bbox").split(",").map(Number);
    var staticMap = document.querySelector("[data-static-map]");
    box.hidden = false;
    if (staticMap) { staticMap.hidden = true; }
    var map = L.map(box, { attributionControl: false });
    L.control.attribution({ prefix: "Leaflet" }).addAttribution(escapeHtml(box.getAttribute("data-attribution") || "")).addTo(map);
    L.tileLayer(box.getAttribute("data-tiles"), { maxZoom: 19, subdomains: "abc" }).addTo(map);
    map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]]);
    var point = box.getAttribute("data-point");
    if (point) {
      var ll = point.split(",").map(Number);
      L.circleMarker(ll, { radius: 9, weight: 3, color: "#000", fillColor: "#f1c40f", fillOpacity: 1 }).addTo(map);
    }
    var pins = L.layerGroup().addTo(map);
    map.on("moveend", function () { showPins(box, map, pins); });
    showPins(box, map, pins);
    map.on("click", function (e) { go(box, e.latlng.lat, L.Util.wrapNum(e.latlng.lng, [-180, 180], true)); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-slippy-map]");
    var saveData = navigator.connection && navigator.connection.saveData;
    if (box && box.getAttribute("data-tiles") && !saveData && window.fetch && window.URL) { load(box); }
  });
})();
