// LMC Hub: progressive enhancements only. Every page works without this file: each feature
// below improves a link or form that already works on its own.
"use strict";

(function () {
  // ---------------------------------------------------------------------------------------
  // Form errors: move focus to the message box so keyboard and screen-reader users hear it.
  function focusFormErrors() {
    var box = document.getElementById("form-errors");
    if (box) box.focus();
  }

  // ---------------------------------------------------------------------------------------
  // Composer preview. Without scripts the Preview button submits the form and the server
  // shows the preview; here it fetches /posts/preview instead and keeps it up to date while
  // typing. The response is the server's sanitized cooked HTML (the same sanitizer output a
  // stored post shows); it is parsed with DOMParser, which never runs scripts.
  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function showPreview(composer, html, isError) {
    var area = composer.querySelector("[data-preview]");
    var body = composer.querySelector("[data-preview-body]");
    if (!area || !body) return;
    area.hidden = false;
    if (isError) {
      var p = document.createElement("p");
      p.className = "preview-error";
      p.textContent = html;
      body.replaceChildren(p);
      return;
    }
    var doc = new DOMParser().parseFromString(html, "text/html");
    body.replaceChildren.apply(body, Array.prototype.slice.call(doc.body.childNodes));
  }

  function requestPreview(composer) {
    var form = composer.closest("form");
    var input = composer.querySelector("[data-composer-input]");
    var url = composer.getAttribute("data-preview-url");
    if (!form || !input || !url) return;
    var body = new URLSearchParams();
    body.set("raw", input.value);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "Accept": "text/html" },
    })
      .then(function (response) {
        return response.text().then(function (text) {
          var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
          showPreview(composer, response.ok && html ? text : text || "Preview failed.", !(response.ok && html));
        });
      })
      .catch(function () {
        showPreview(composer, "The preview could not be loaded; your text is safe.", true);
      });
  }

  function setUpComposers() {
    document.querySelectorAll("[data-composer]").forEach(function (composer) {
      var form = composer.closest("form");
      var button = form && form.querySelector("[data-preview-button]");
      var input = composer.querySelector("[data-composer-input]");
      var live = false;
      var timer = null;
      if (!button || !input) return;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        live = true;
        requestPreview(composer);
      });
      input.addEventListener("input", function () {
        if (!live) return;
        clearTimeout(timer);
        timer = setTimeout(function () { requestPreview(composer); }, 500);
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Reply and Quote on the topic page. The links open the full-page reply form; with a
  // reply box at the bottom of the page they fill that instead. Quote uses the text
  // selected inside the post when there is some (else the link quotes the whole post).
  var lastSelection = null;

  function rememberSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var node = selection.getRangeAt(0).commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var cooked = element && element.closest(".post .cooked");
    var text = selection.toString().trim();
    if (cooked && text) {
      lastSelection = { post: cooked.closest(".post"), text: text };
    }
  }

  function replyForm() {
    return document.querySelector("[data-reply-form]");
  }

  function setReplyTarget(form, post) {
    var hidden = form.querySelector("[data-reply-to-input]");
    var label = form.querySelector("[data-replying-to]");
    if (!hidden || !label) return;
    var number = post.getAttribute("data-post-number");
    hidden.value = number;
    label.replaceChildren();
    label.append("Replying to #" + number + " (" + post.getAttribute("data-username") + ") ");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "action";
    cancel.textContent = "Reply to the topic instead";
    cancel.addEventListener("click", function () {
      hidden.value = "";
      label.hidden = true;
    });
    label.append(cancel);
    label.hidden = false;
  }

  function focusComposer(form) {
    var input = form.querySelector("[data-composer-input]");
    form.scrollIntoView({ behavior: "smooth", block: "start" });
    if (input) input.focus({ preventScroll: true });
    return input;
  }

  function onReplyClick(event) {
    var form = replyForm();
    var post = event.currentTarget.closest(".post");
    if (!form || !post) return;
    event.preventDefault();
    setReplyTarget(form, post);
    focusComposer(form);
  }

  function onQuoteClick(event) {
    var form = replyForm();
    var post = event.currentTarget.closest(".post");
    if (!form || !post || !lastSelection || lastSelection.post !== post) return;
    event.preventDefault();
    var quote =
      '[quote="' + post.getAttribute("data-username") +
      ", post:" + post.getAttribute("data-post-number") +
      ", topic:" + post.getAttribute("data-topic-id") + '"]\n' +
      lastSelection.text + "\n[/quote]\n\n";
    setReplyTarget(form, post);
    var input = focusComposer(form);
    if (input) {
      var before = input.value && !/\n\n$/.test(input.value) ? input.value.replace(/\n*$/, "\n\n") : input.value;
      input.value = before + quote;
      input.setSelectionRange(input.value.length, input.value.length);
      input.dispatchEvent(new Event("input"));
    }
    lastSelection = null;
  }

  function setUpPostActions() {
    document.addEventListener("selectionchange", rememberSelection);
    document.querySelectorAll("[data-reply-to]").forEach(function (link) {
      link.addEventListener("click", onReplyClick);
    });
    document.querySelectorAll("[data-quote]").forEach(function (link) {
      // mousedown would clear the selection before click on some browsers: remember first.
      link.addEventListener("mousedown", rememberSelection);
      link.addEventListener("click", onQuoteClick);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Permalinks (/t/{slug}/{id}/{n}) render the page holding post n: bring it into view.
  function focusPermalinkPost() {
    var topic = document.querySelector("[data-focus-post]");
    if (!topic || window.location.hash) return;
    var post = document.getElementById("post-" + topic.getAttribute("data-focus-post"));
    if (!post) return;
    post.classList.add("is-focused");
    post.scrollIntoView({ block: "start" });
  }

  // ---------------------------------------------------------------------------------------
  // The new-topic form: choosing another category redraws the form with that category's
  // plugin fields (the same as pressing the "Show this category's options" button).
  function setUpCategoryChoice() {
    document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
      var form = select.form;
      var button = form && form.querySelector("[data-category-refresh]");
      if (!button) return;
      button.hidden = true;
      select.addEventListener("change", function () {
        if (select.value) button.click();
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // "Your topic is similar to…" on the new-topic form. While the title is typed, existing
  // topics like it are fetched from /topics/similar_to and listed under the title, in a
  // live region so screen readers hear them. It is only a hint: errors are ignored. Each
  // blurb is server-escaped HTML with the matched words in <mark>; only its text and its
  // marks are copied into new nodes, so nothing else in it can become markup.
  var SIMILAR_MIN_LENGTH = 10;
  var SIMILAR_LIMIT = 5;
  var SIMILAR_DELAY = 400;

  function blurbNodes(html) {
    var doc = new DOMParser().parseFromString(html || "", "text/html");
    return Array.prototype.map.call(doc.body.childNodes, function (node) {
      if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
      var mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    });
  }

  function similarItem(found) {
    var topic = found.topic;
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = "/t/" + encodeURIComponent(topic.slug) + "/" + encodeURIComponent(topic.id);
    link.textContent = topic.title;
    item.append(link);
    if (found.blurb) {
      var blurb = document.createElement("p");
      blurb.className = "blurb";
      blurb.append.apply(blurb, blurbNodes(found.blurb));
      item.append(blurb);
    }
    return item;
  }

  function showSimilar(box, topics) {
    var usable = (topics || []).filter(function (found) {
      return found && found.topic && found.topic.id && found.topic.slug && found.topic.title;
    });
    if (!usable.length) {
      box.replaceChildren();
      return;
    }
    var section = document.createElement("section");
    section.className = "similar-topics";
    section.setAttribute("aria-labelledby", "similar-topics-title");
    var heading = document.createElement("h2");
    heading.id = "similar-topics-title";
    heading.textContent = "Your topic is similar to…";
    var list = document.createElement("ul");
    list.append.apply(list, usable.slice(0, SIMILAR_LIMIT).map(similarItem));
    section.append(heading, list);
    box.replaceChildren(section);
  }

  function setUpSimilarTopics() {
    document.querySelectorAll("[data-similar-topics]").forEach(function (box) {
      var form = box.closest("form");
      var title = form && form.querySelector("[data-similar-title]");
      var raw = form && form.querySelector("[data-composer-input]");
      var url = box.getAttribute("data-similar-url");
      var asked = "";
      var latest = 0;
      var timer = null;
      if (!title || !url) return;

      function request() {
        var text = title.value.trim();
        if (text.length < SIMILAR_MIN_LENGTH) {
          asked = "";
          latest += 1; // an answer still on its way is for an older title: drop it
          showSimilar(box, []);
          return;
        }
        if (text === asked) return;
        asked = text;
        var ticket = ++latest;
        var params = new URLSearchParams();
        params.set("title", text);
        params.set("raw", raw ? raw.value.slice(0, 500) : "");
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + params.toString(), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" },
        })
          .then(function (response) {
            if (!response.ok) throw new Error("similar_to: HTTP " + response.status);
            return response.json();
          })
          .then(function (data) {
            if (ticket === latest) showSimilar(box, data && data.similar_topics);
          })
          .catch(function () {
            // Only a hint: leave the form as it is, and ask again when the title changes.
            if (ticket === latest) asked = "";
          });
      }

      title.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(request, SIMILAR_DELAY);
      });
      if (title.value.trim()) request(); // the form came back (errors, category) with a title
    });
  }

  // ---------------------------------------------------------------------------------------
  // Reading state. On a topic page (signed in), remember the highest post scrolled into view
  // (most of it on screen) and send it to /topics/timings at most every 2 seconds, one
  // request per batch; when the page is hidden or left, send what is left with sendBeacon.
  // The server never lowers the mark, so a lost or repeated request does no harm. Without
  // scripts the page's <noscript> pixel records its last post instead.
  var READ_BATCH_DELAY = 2000;

  function setUpReadTracking() {
    var tracker = document.querySelector("[data-reading-tracker]");
    if (!tracker || !("IntersectionObserver" in window)) return;
    var url = tracker.getAttribute("data-timings-url");
    var topicId = tracker.getAttribute("data-topic-id");
    var token = tracker.getAttribute("data-csrf-token");
    var started = Date.now();
    var seen = 0; // the highest post number read on this page
    var sent = 0; // the highest one already sent
    var timer = null;

    function payload() {
      var body = new URLSearchParams();
      body.set("csrf_token", token);
      body.set("topic_id", topicId);
      body.set("topic_time", String(Math.min(Date.now() - started, 86400000)));
      body.set("timings[" + seen + "]", String(Math.min(Date.now() - started, 86400000)));
      return body;
    }

    function send(leaving) {
      clearTimeout(timer);
      timer = null;
      if (seen <= sent) return;
      var body = payload();
      var before = sent;
      sent = seen;
      if (leaving && navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: !!leaving,
        headers: { "Accept": "application/json", "X-CSRFToken": token },
      })
        .then(function (response) {
          if (!response.ok) throw new Error("timings: HTTP " + response.status);
        })
        .catch(function () {
          sent = Math.min(sent, before); // try again with the next batch
        });
    }

    function isRead(entry) {
      if (!entry.isIntersecting) return false;
      var screen = window.innerHeight || document.documentElement.clientHeight;
      return entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= screen / 2;
    }

    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var number = parseInt(entry.target.getAttribute("data-post-number"), 10);
        if (number > seen && isRead(entry)) seen = number;
      });
      if (seen > sent && !timer) timer = setTimeout(send, READ_BATCH_DELAY);
    }, { threshold: [0, 0.25, 0.5, 0.75, 1] });
    document.querySelectorAll(".post[data-post-number]").forEach(function (post) {
      observer.observe(post);
    });
    window.addEventListener("pagehide", function () { send(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") send(true);
    });
  }

  function start() {
    focusFormErrors();
    setUpComposers();
    setUpPostActions();
    setUpCategoryChoice();
    setUpSimilarTopics();
    focusPermalinkPost();
    setUpReadTracking();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
