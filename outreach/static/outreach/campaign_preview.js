// Live preview of each campaign step in the campaign editor: as staff type, the step's templates are rendered
// for the sample patient by the server (outreach/admin/preview.py), exactly as the worker would render them.
(function () {
  "use strict";
  var STEP_FIELD = /^(steps-\d+-)(name|send_sms|send_email|sms_body|email_subject|email_text|email_html)$/;
  var previewUrl = window.location.pathname.replace(/(\/outreach\/campaigns\/).*$/, "$1preview/");
  var timers = {};

  function field(prefix, name) {
    return document.querySelector('[name="' + prefix + name + '"]');
  }

  function value(prefix, name) {
    var input = field(prefix, name);
    if (!input) return "";
    if (input.type === "checkbox") return input.checked ? "true" : "";
    return input.value;
  }

  function csrfToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function box(prefix) {
    var id = "outreach-preview-" + prefix.replace(/-$/, "");
    var existing = document.getElementById(id);
    if (existing) return existing;
    var anchor = field(prefix, "email_html") || field(prefix, "sms_body");
    if (!anchor) return null;
    var wrapper = anchor.closest("[data-contentpath]") || anchor.closest(".w-field__wrapper") || anchor.parentNode;
    var node = el("section", { id: id, "class": "outreach-preview", "data-outreach-preview": prefix, "aria-live": "polite" });
    wrapper.parentNode.insertBefore(node, wrapper.nextSibling);
    return node;
  }

  function render(prefix, data) {
    var node = box(prefix);
    if (!node) return;
    node.innerHTML = "";
    node.appendChild(el("h3", {}, "Preview for a sample patient"));
    var sms = data.sms;
    if (sms.enabled) {
      var smsBlock = el("div", { "class": "outreach-preview__sms" });
      smsBlock.appendChild(el("h4", {}, "SMS"));
      smsBlock.appendChild(el("pre", { "class": "outreach-preview__bubble", "data-preview-sms": "" }, sms.body || "(empty)"));
      var over = sms.segments > sms.max_segments;
      smsBlock.appendChild(el("p", { "class": "outreach-preview__meta" + (over ? " outreach-preview__meta--over" : ""), "data-preview-count": "" },
        sms.characters + " characters, " + sms.segments + " segment" + (sms.segments === 1 ? "" : "s") +
        " (" + sms.encoding + ")" + (over ? ": more than " + sms.max_segments + " segments" : "")));
      if (sms.sensitive_terms.length) {
        smsBlock.appendChild(el("p", { "class": "outreach-preview__warning", "data-preview-sensitive": "" },
          "Sensitive terms: " + sms.sensitive_terms.join(", ") +
          ". Texts show on lock screens and shared phones; say 'your visit', not the treatment or diagnosis."));
      }
      node.appendChild(smsBlock);
    }
    var email = data.email;
    if (email.enabled) {
      var emailBlock = el("div", { "class": "outreach-preview__email" });
      emailBlock.appendChild(el("h4", {}, "Email: " + (email.subject || "(no subject)")));
      if (email.sensitive_terms.length) {
        emailBlock.appendChild(el("p", { "class": "outreach-preview__warning" }, "Sensitive terms: " + email.sensitive_terms.join(", ") + "."));
      }
      var frame = el("iframe", { sandbox: "", title: "Email preview", "class": "outreach-preview__frame" });
      frame.srcdoc = email.html;
      emailBlock.appendChild(frame);
      var details = el("details", {});
      details.appendChild(el("summary", {}, "Plain-text part"));
      details.appendChild(el("pre", {}, email.text));
      emailBlock.appendChild(details);
      node.appendChild(emailBlock);
    }
    var fields = Object.keys(data.errors || {});
    if (fields.length) {
      var list = el("ul", { "class": "outreach-preview__errors", "data-preview-errors": "" });
      fields.forEach(function (name) {
        data.errors[name].forEach(function (message) { list.appendChild(el("li", {}, name.replace(/_/g, " ") + ": " + message)); });
      });
      node.appendChild(list);
    }
    var stepId = value(prefix, "id");
    if (stepId) {
      var link = el("a", { "class": "button button-small button-secondary", href: previewUrl.replace(/preview\/$/, "steps/" + stepId + "/test/") }, "Send a test to me");
      node.appendChild(link);
    } else {
      node.appendChild(el("p", { "class": "help-text" }, "Save the campaign to send yourself a test."));
    }
  }

  function refresh(prefix) {
    var body = new URLSearchParams();
    ["name", "send_sms", "send_email", "sms_body", "email_subject", "email_text", "email_html"].forEach(function (name) {
      body.append(name, value(prefix, name));
    });
    var purpose = document.querySelector('[name="purpose"]');
    body.append("purpose", purpose ? purpose.value : "");
    fetch(previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) render(prefix, data); })
      .catch(function () {});
  }

  function schedule(prefix) {
    clearTimeout(timers[prefix]);
    timers[prefix] = setTimeout(function () { refresh(prefix); }, 300);
  }

  function scan() {
    document.querySelectorAll('textarea[name$="-sms_body"]').forEach(function (input) {
      var match = /^(steps-\d+-)sms_body$/.exec(input.name);
      if (match && !match[1].includes("__prefix__") && !document.getElementById("outreach-preview-" + match[1].replace(/-$/, ""))) {
        box(match[1]);
        refresh(match[1]);
      }
    });
  }

  function onEdit(event) {
    var target = event.target;
    if (!target || !target.name) return;
    if (target.name === "purpose") { scan(); document.querySelectorAll("[data-outreach-preview]").forEach(function (node) { schedule(node.getAttribute("data-outreach-preview")); }); return; }
    var match = STEP_FIELD.exec(target.name);
    if (match) schedule(match[1]);
  }

  function start() {
    scan();
    document.addEventListener("input", onEdit);
    document.addEventListener("change", onEdit);
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
