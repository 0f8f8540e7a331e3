// coroner: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  var theme = localStorage.getItem("coroner-theme");
  if (theme) root.setAttribute("data-theme", theme);

  function fmt(iso, zone) {
    var d = new Date(iso);
    if (isNaN(d)) return null;
    var opts = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hour12: false, timeZoneName: "short" };
    if (zone && zone !== "local") opts.timeZone = zone;
    try { return new Intl.DateTimeFormat(undefined, opts).format(d); } catch (e) { return null; }
  }

  // Viewer time zone: add the time in the chosen zone beside every <time data-utc>.
  function applyZone(zone) {
    document.querySelectorAll("time[data-utc]").forEach(function (t) {
      var extra = t.parentNode.querySelector(".viewer-time[data-for='" + t.dateTime + "']");
      if (!zone) { if (extra) extra.remove(); return; }
      var text = fmt(t.dateTime, zone);
      if (!text) return;
      if (!extra) {
        extra = document.createElement("span");
        extra.className = "viewer-time";
        extra.setAttribute("data-for", t.dateTime);
        t.after(extra);
      }
      extra.textContent = "(" + text + ")";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) toggle.addEventListener("click", function () {
      var dark = root.getAttribute("data-theme") === "dark" ||
        (!root.getAttribute("data-theme") && matchMedia("(prefers-color-scheme: dark)").matches);
      var next = dark ? "light" : "dark";
      root.setAttribute("data-theme", next);
      localStorage.setItem("coroner-theme", next);
    });
    var select = document.getElementById("viewer-tz");
    if (select) {
      var saved = localStorage.getItem("coroner-viewer-tz") || "";
      var local = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (local) select.querySelector("option[value=local]").textContent = "My zone (" + local + ")";
      select.value = saved;
      applyZone(saved);
      select.addEventListener("change", function () {
        localStorage.setItem("coroner-viewer-tz", select.value);
        applyZone(select.value);
      });
    }
    // Saving an action item: submit when the status changes, keeping the form otherwise.
    document.querySelectorAll("select.action-status-select").forEach(function (s) {
      s.addEventListener("change", function () { s.form.setAttribute("data-dirty", "true"); });
    });
    // Upload: read a chosen file into the text area so it can be previewed and edited.
    var file = document.getElementById("upload-file");
    var area = document.getElementById("upload-text");
    if (file && area) file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (!f) return;
      f.text().then(function (t) { area.value = t; });
    });
  });
})();
