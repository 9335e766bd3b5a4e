// Live preview of each campaign step in the campaign editor: as staff type, the step's templates are rendered
// for the sample patient by the server (outreach/admin/preview.py), exactly as the worker would render them.
// "Send a test" beside it sends the step as the form holds it now (unsaved edits included) without saving it.
(function () {
  "use strict";
  var STEP_FIELD = /^(steps-\d+-)(name|send_sms|send_email|sms_body|email_subject|email_text|email_html)$/;
  var STEP_FIELDS = ["name", "send_sms", "send_email", "sms_body", "email_subject", "email_text", "email_html"];
  var base = window.location.pathname.replace(/(\/outreach\/campaigns\/).*$/, "$1");
  var previewUrl = base + "preview/";
  var testUrl = base + "test/";
  var editing = /\/outreach\/campaigns\/edit\/(\d+)\//.exec(window.location.pathname);
  var campaignId = editing ? editing[1] : "";
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
    var node = el("section", { id: id, "class": "outreach-preview", "data-outreach-preview": prefix });
    node.appendChild(el("div", { "class": "outreach-preview__rendered", "aria-live": "polite" }));
    node.appendChild(testForm(prefix));
    wrapper.parentNode.insertBefore(node, wrapper.nextSibling);
    return node;
  }

  // The test form is built once per step (re-rendering the preview keeps what was typed in it).
  function testForm(prefix) {
    var stem = "outreach-test-" + prefix.replace(/-$/, "");
    var form = el("fieldset", { "class": "outreach-preview__test", "data-send-test": prefix });
    form.appendChild(el("legend", {}, "Send a test of this version to yourself"));
    form.appendChild(el("p", { "class": "help-text" }, "What the form holds now, unsaved changes included, rendered for the sample " +
      "patient. Nothing is saved and no patient receives it. An email goes to your account's address."));
    [["sms", "Text (SMS)"], ["email", "Email"]].forEach(function (choice, index) {
      var label = el("label", { "class": "outreach-preview__choice" });
      var radio = el("input", { type: "radio", name: stem + "-channel", value: choice[0], "data-test-channel": "" });
      if (index === 0) radio.checked = true;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + choice[1]));
      form.appendChild(label);
    });
    var phoneLabel = el("label", { "for": stem + "-phone", "class": "outreach-preview__phone-label" }, "Your mobile number (for a text)");
    form.appendChild(phoneLabel);
    form.appendChild(el("input", { id: stem + "-phone", type: "tel", autocomplete: "tel", "data-test-phone": "", "class": "outreach-preview__phone" }));
    var button = el("button", { type: "button", "class": "button button-small button-secondary", "data-test-send": "" }, "Send the test");
    button.addEventListener("click", function () { sendTest(prefix, form); });
    form.appendChild(button);
    form.appendChild(el("p", { "class": "outreach-preview__test-result", role: "status", "data-test-result": "" }));
    return form;
  }

  function stepBody(prefix) {
    var body = new URLSearchParams();
    STEP_FIELDS.forEach(function (name) { body.append(name, value(prefix, name)); });
    var purpose = document.querySelector('[name="purpose"]');
    body.append("purpose", purpose ? purpose.value : "");
    var name = document.querySelector('[name="name"]');
    body.append("campaign_name", name ? name.value : "");
    body.append("campaign", campaignId);
    return body;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded", "X-Requested-With": "XMLHttpRequest" },
      body: body.toString(),
    });
  }

  function sendTest(prefix, form) {
    var result = form.querySelector("[data-test-result]");
    var checked = form.querySelector("[data-test-channel]:checked");
    var body = stepBody(prefix);
    body.append("channel", checked ? checked.value : "");
    body.append("phone", form.querySelector("[data-test-phone]").value);
    result.className = "outreach-preview__test-result";
    result.textContent = "Sending…";
    post(testUrl, body)
      .then(function (response) {
        return response.json().catch(function () { return { ok: false, message: "The test could not be sent (" + response.status + ")." }; });
      })
      .then(function (data) {
        var details = Object.keys(data.errors || {}).map(function (name) {
          return name.replace(/_/g, " ") + ": " + data.errors[name].join(" ");
        });
        result.className = "outreach-preview__test-result " + (data.ok ? "outreach-preview__test-result--ok" : "outreach-preview__test-result--error");
        result.textContent = [data.message].concat(details).join(" ");
      })
      .catch(function () {
        result.className = "outreach-preview__test-result outreach-preview__test-result--error";
        result.textContent = "The test could not be sent: the server did not answer.";
      });
  }

  function render(prefix, data) {
    var section = box(prefix);
    if (!section) return;
    var node = section.querySelector(".outreach-preview__rendered");
    node.innerHTML = "";
    node.appendChild(el("h3", {}, "Preview for a sample patient, with the clinic's settings"));
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
    if ((data.warnings || []).length) {
      var warnings = el("ul", { "class": "outreach-preview__warning", "data-preview-warnings": "" });
      data.warnings.forEach(function (message) { warnings.appendChild(el("li", {}, message)); });
      node.appendChild(warnings);
    }
  }

  function refresh(prefix) {
    post(previewUrl, stepBody(prefix))
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
