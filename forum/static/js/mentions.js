// The composer warns when an @mention names someone who cannot see where the post will go
// (they would not be notified). Asks /composer/mentions.json once typing pauses.
(function () {
  "use strict";
  var NAME = /(^|[^\w.@\/`-])@([\w.-]{3,20})/g;

  function whereTo(form) {
    var match = /\/t\/(\d+)\/reply/.exec(form.getAttribute("action") || window.location.pathname);
    if (match) return "topic_id=" + match[1];
    var select = form.querySelector("select[name=category]");
    return select && select.value ? "category_id=" + encodeURIComponent(select.value) : null;
  }

  function names(text) {
    var found = {}, m;
    NAME.lastIndex = 0;
    while ((m = NAME.exec(text)) !== null) found[m[2].replace(/[.-]+$/, "").toLowerCase()] = true;
    return Object.keys(found).slice(0, 20);
  }

  function attach(textarea) {
    var form = textarea.form, timer = null, warning = document.createElement("p");
    warning.className = "notice composer-warning";
    warning.setAttribute("role", "status");
    warning.hidden = true;
    textarea.insertAdjacentElement("afterend", warning);

    function check() {
      var list = names(textarea.value), target = whereTo(form);
      if (!list.length || !target) { warning.hidden = true; return; }
      var query = list.map(function (n) { return "names[]=" + encodeURIComponent(n); }).join("&");
      fetch("/composer/mentions.json?" + query + "&" + target, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          var hidden = body ? Object.keys(body.user_reasons || {}) : [];
          if (!hidden.length) { warning.hidden = true; return; }
          warning.textContent = hidden.map(function (n) { return "@" + n; }).join(", ") +
            " cannot" +
            " see this topic, so will not be notified.";
          warning.hidden = false;
        })
        .catch(function () { warning.hidden = true; });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 700);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector("[data-bell]")) return; // signed out: nothing to check
    document.querySelectorAll("form textarea[name=raw]").forEach(attach);
  });
})();
