// Reload this page when the preview server says the hub has changed.
// Only `python build.py serve` adds this script; built pages never carry it.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script.dataset.version;
  var source = new EventSource(script.dataset.events);

  // Every message names the current version; a page made from an older
  // one reloads. A message on connecting catches edits made while the
  // page was loading or while the server was restarting.
  function reloadIfChanged(message) {
    if (message.data !== version) {
      source.close();
      window.location.reload();
    }
  }

  source.addEventListener("version", reloadIfChanged);
  source.addEventListener("reload", reloadIfChanged);
})();
