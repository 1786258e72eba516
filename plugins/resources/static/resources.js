/* The Resource Centre's item page: search results link to one section of a document's text
   (#section-7); open the collapsed text there so the section is shown, not hidden. */
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!/^section-\d+$/.test(id)) {
      return;
    }
    var target = document.getElementById(id);
    var details = target ? target.closest("details") : null;
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  document.addEventListener("DOMContentLoaded", openTarget);
  window.addEventListener("hashchange", openTarget);
})();
