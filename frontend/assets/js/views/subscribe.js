// Subscribe to topics: POST /api/outreach/v1/subscriptions/ with {email and/or phone, topics: [slugs],
// consent_wording}. consent_wording is exactly the sentence shown next to the checkbox, so the clinic can prove
// what the person agreed to. The subscription only starts once they confirm from the email or text we send.

import * as api from "../api.js";
import { h, uniqueId } from "../dom.js";

export const SUBSCRIBE_ENDPOINT = "/api/outreach/v1/subscriptions/";

export function consentWording(clinic) {
  const name = clinic?.clinic_name || "the clinic";
  return (
    `I agree to receive new articles on the topics I chose from ${name} by email and, if I gave a mobile number, ` +
    "by text message. Message frequency varies. Message and data rates may apply. Reply STOP to cancel texts or " +
    "HELP for help; every email has an unsubscribe link. Consent is not a condition of treatment."
  );
}

// Which form control shows the errors the API reports for each field.
const FIELD_FOR_ERROR = { email: "email", phone: "phone", topics: "topics", consent: "consent", consent_wording: "consent" };

function errorMessages(value) {
  if (value == null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(errorMessages);
  if (typeof value === "object") return Object.values(value).flatMap(errorMessages);
  return [String(value)];
}

function buildForm({ topics, clinic, selectedSlug }) {
  const wording = consentWording(clinic);
  const ids = { email: uniqueId("email"), phone: uniqueId("phone"), consent: uniqueId("consent") };
  const hint = (id, text) => h("p", { class: "hint", id }, text);
  const errorSlot = (field) => h("p", { class: "field-error", id: `${field}-error`, hidden: true });

  const form = h(
    "form",
    { class: "subscribe-form", novalidate: true, "aria-describedby": "subscribe-intro" },
    h("div", { class: "form-alert", role: "alert", id: "form-alert", hidden: true }),
    h(
      "fieldset",
      { class: "field", id: "topics", "data-field": "topics", "aria-describedby": "topics-error" },
      h("legend", null, "Topics"),
      errorSlot("topics"),
      h(
        "ul",
        { class: "checkboxes" },
        topics.map((topic) => {
          const id = `topic-${topic.slug}`;
          return h(
            "li",
            null,
            h("input", { type: "checkbox", id, name: "topics", value: topic.slug, checked: topic.slug === selectedSlug, "aria-describedby": topic.description ? `${id}-hint` : null }),
            h("label", { for: id }, topic.name),
            topic.description && hint(`${id}-hint`, topic.description),
          );
        }),
      ),
    ),
    h(
      "div",
      { class: "field", "data-field": "email" },
      h("label", { for: ids.email }, "Email address"),
      hint("email-hint", "Give an email address, a mobile number, or both."),
      errorSlot("email"),
      h("input", { id: ids.email, name: "email", type: "email", autocomplete: "email", spellcheck: "false", "aria-describedby": "email-hint email-error" }),
    ),
    h(
      "div",
      { class: "field", "data-field": "phone" },
      h("label", { for: ids.phone }, "Mobile number (for texts)"),
      hint("phone-hint", "A US mobile number, for example (203) 555-0123."),
      errorSlot("phone"),
      h("input", { id: ids.phone, name: "phone", type: "tel", autocomplete: "tel", inputmode: "tel", "aria-describedby": "phone-hint phone-error" }),
    ),
    h(
      "div",
      { class: "field field--consent", "data-field": "consent" },
      errorSlot("consent"),
      h(
        "div",
        { class: "consent" },
        h("input", { id: ids.consent, name: "consent", type: "checkbox", "aria-describedby": "consent-error" }),
        h("label", { for: ids.consent, class: "consent__wording" }, wording),
      ),
      clinic?.privacy_notice?.url &&
        h("p", { class: "hint consent__privacy" }, "How we use and protect your details: ", h("a", { href: clinic.privacy_notice.url }, clinic.privacy_notice.title), "."),
    ),
    h("button", { type: "submit", class: "button" }, "Subscribe"),
  );
  return { form, wording, ids };
}

function showErrors(form, errors, { alert } = {}) {
  const alertBox = form.querySelector("#form-alert");
  const unplaced = [];
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");

  let first = null;
  for (const [key, value] of Object.entries(errors)) {
    const field = FIELD_FOR_ERROR[key];
    const messages = errorMessages(value);
    const slot = field && form.querySelector(`#${field}-error`);
    if (!slot) {
      unplaced.push(...messages);
      continue;
    }
    slot.textContent = messages.join(" ");
    slot.hidden = false;
    // The topics fieldset is described by its error (aria-invalid does not apply to a group).
    const container = form.querySelector(`[data-field="${field}"]`);
    const control = container.querySelector("input");
    if (field !== "topics") control.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  const summary = alert || (unplaced.length ? unplaced.join(" ") : Object.keys(errors).length ? "Please correct the highlighted fields." : "");
  alertBox.textContent = summary;
  alertBox.hidden = !summary;
  if (first) first.focus();
}

function localErrors(form) {
  const errors = {};
  if (!form.querySelector('input[name="topics"]:checked')) errors.topics = "Choose at least one topic.";
  const email = form.elements.email;
  const phone = form.elements.phone;
  if (!email.value.trim() && !phone.value.trim()) errors.email = "Give an email address or a mobile number.";
  else if (email.value.trim() && !email.checkValidity()) errors.email = "Enter an email address like name@example.com.";
  if (phone.value.trim() && phone.value.replace(/\D/g, "").length < 10) errors.phone = "Enter a mobile number with its area code.";
  if (!form.elements.consent.checked) errors.consent = "Tick the box to agree to receive messages.";
  return errors;
}

function confirmation(payload) {
  const where = [payload.email && "email", payload.phone && "phone"].filter(Boolean).join(" and ");
  return h(
    "div",
    { class: "confirmation", role: "status" },
    h("h2", { tabindex: "-1" }, `Check your ${where} to confirm`),
    h(
      "p",
      null,
      `We have sent a link to ${[payload.email, payload.phone].filter(Boolean).join(" and ")}. `,
      "Your subscription starts once you confirm it. If nothing arrives in a few minutes, check your spam folder or try again.",
    ),
  );
}

async function submit(event, { form, wording, clinic }) {
  event.preventDefault();
  const local = localErrors(form);
  if (Object.keys(local).length) {
    showErrors(form, local);
    return;
  }
  const payload = {
    topics: [...form.querySelectorAll('input[name="topics"]:checked')].map((input) => input.value),
    consent_wording: wording,
  };
  if (form.elements.email.value.trim()) payload.email = form.elements.email.value.trim();
  if (form.elements.phone.value.trim()) payload.phone = form.elements.phone.value.trim();

  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  const phoneHelp = clinic?.phone ? ` You can also call us at ${clinic.phone}.` : "";
  try {
    const { status, body } = await api.postJSON(SUBSCRIBE_ENDPOINT, payload);
    if (status === 201 || status === 202 || status === 200) {
      const done = confirmation(payload);
      form.replaceWith(done);
      done.querySelector("h2").focus();
      return;
    }
    if (status === 400) {
      const errors = body?.errors && typeof body.errors === "object" ? body.errors : body || {};
      showErrors(form, Object.keys(errors).length ? errors : { detail: "Please check the form and try again." });
    } else if (status === 429) {
      showErrors(form, {}, { alert: `Too many attempts from here just now. Please try again later.${phoneHelp}` });
    } else {
      showErrors(form, {}, { alert: `Sorry, we could not sign you up just now. Please try again later.${phoneHelp}` });
    }
  } catch {
    showErrors(form, {}, { alert: `Sorry, we could not reach the server. Check your connection and try again.${phoneHelp}` });
  } finally {
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

export async function subscribeView({ clinic, url }) {
  const topics = await api.topics();
  const { form, wording } = buildForm({ topics, clinic, selectedSlug: url.searchParams.get("topic") });
  form.addEventListener("submit", (event) => submit(event, { form, wording, clinic }));
  return {
    content: h(
      "div",
      { class: "wrap wrap--narrow section subscribe" },
      h("h1", { tabindex: "-1" }, "Get new articles by email or text"),
      h(
        "p",
        { class: "lead", id: "subscribe-intro" },
        "Choose the topics you care about. When we publish a new article on one of them, we send you a short message with a link.",
      ),
      form,
    ),
    head: { title: "Get new articles by email or text", description: "Choose topics and get our new patient-education articles by email or text message." },
  };
}
