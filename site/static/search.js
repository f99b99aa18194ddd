/* Start Pagefind's search interface and run the query that the header's
   plain GET form sent as ?q=, so that search works from every page. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var status = document.getElementById("search-status");
  if (!box) return;
  document.getElementById("search-fallback").hidden = true;
  if (typeof PagefindUI === "undefined") {
    // The index is written by the build; a live preview has none.
    status.textContent = "Search is not available here: its index is written when the hub is built.";
    return;
  }
  var bundle = box.dataset.bundle;
  var start = function (merge) {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: box.dataset.base,
      // A large hub's index comes in shards, searched as one.
      mergeIndex: merge.map(function (path) {
        return { bundlePath: bundle + path, baseUrl: box.dataset.base };
      }),
      showSubResults: true,
      autofocus: true,
      processTerm: function (term) {
        // Keep the query in the address, so Back from a result returns to it.
        var url = term ? "?q=" + encodeURIComponent(term) : window.location.pathname;
        window.history.replaceState(null, "", url);
        return term;
      }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  };
  fetch(bundle + "shards.json")
    .then(function (response) { return response.ok ? response.json() : { merge: [] }; })
    .then(function (listing) { start(listing.merge || []); })
    .catch(function () { start([]); });
})();
