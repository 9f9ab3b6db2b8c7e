// Plaza's only script of its own: it enhances, pages work without it.
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:config:request", function (evt) {
    // The meta tag is there once a session exists; before that, a form's own token field.
    var meta = document.querySelector('meta[name="csrf-token"]') ||
      document.querySelector('input[name="csrf_token"]');
    var token = meta && (meta.content || meta.value);
    var ctx = evt.detail && evt.detail.ctx;
    if (token && ctx && ctx.request && ctx.request.headers) {
      ctx.request.headers["X-CSRFToken"] = token;
    }
  });
  // "Use my location": buttons are hidden until this script shows them.
  function geolocate(button) {
    if (!navigator.geolocation) { return; }
    var form = button.form;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var lat = pos.coords.latitude.toFixed(6), lon = pos.coords.longitude.toFixed(6);
      var latField = form.querySelector('[name="lat"]'), lonField = form.querySelector('[name="lon"]');
      if (latField && lonField) { latField.value = lat; lonField.value = lon; }
      var q = form.querySelector(button.getAttribute("data-geolocate") || '[name="q"]');
      if (q) { q.value = lat + ", " + lon; }
      button.disabled = false;
      form.submit();
    }, function () {
      button.disabled = false;
      // Denied or failed: say so beside the button, in the page's words (its data-error).
      var text = button.getAttribute("data-error"), note = button.nextElementSibling;
      if (!text) { return; }
      if (!note || !note.hasAttribute("data-geolocate-note")) {
        note = document.createElement("span");
        note.setAttribute("data-geolocate-note", "");
        note.setAttribute("role", "alert");
        note.className = "error";
        button.insertAdjacentElement("afterend", note);
      }
      note.textContent = text;
    }, { enableHighAccuracy: true, timeout: 15000 });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.geolocation) { return; }
    document.querySelectorAll("[data-geolocate]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function (e) { e.preventDefault(); geolocate(b); });
    });
  });
})();
