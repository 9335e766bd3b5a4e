// The clinic's booking address (clinic.booking_url) when no CMS page lives there: how to book, by phone.

import { callLink } from "../components.js";
import { h, telHref } from "../dom.js";

export function bookingView({ clinic }) {
  const addressLines = (clinic?.postal_address || "").split("\n").filter(Boolean);
  return {
    content: h(
      "div",
      { class: "wrap wrap--narrow section booking" },
      h("h1", { tabindex: "-1" }, "Book a consultation"),
      h(
        "p",
        { class: "lead" },
        "Every treatment starts with a consultation: a private conversation with our clinicians about your health, your current care and what you hope for.",
      ),
      clinic?.phone &&
        h(
          "div",
          { class: "booking__call" },
          h("h2", null, "Call us to book"),
          h("p", { class: "booking__phone" }, h("a", { href: telHref(clinic.phone) }, clinic.phone)),
          callLink(clinic, { className: "button", label: "Call now" }),
        ),
      h(
        "section",
        { "aria-labelledby": "booking-next" },
        h("h2", { id: "booking-next" }, "What to expect"),
        h(
          "ul",
          null,
          h("li", null, "We ask about your health history, the medicines you take and the care you have had so far."),
          h("li", null, "We explain whether treatment may suit you, and what it would involve."),
          h("li", null, "Nothing is decided on the day unless you want it to be, and there is no obligation."),
        ),
      ),
      addressLines.length && h("section", { "aria-labelledby": "booking-where" }, h("h2", { id: "booking-where" }, "Where we are"), h("address", null, addressLines.map((line, i) => [i ? h("br") : null, line]))),
    ),
    head: { title: "Book a consultation", description: clinic?.phone ? `Book a consultation: call ${clinic.phone}.` : "Book a consultation." },
  };
}
