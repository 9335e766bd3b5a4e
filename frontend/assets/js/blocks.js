// The body StreamField of home, article and service pages: one renderer per block type of the API
// (heading, rich_text, image, callout, faq, quote, references). Unknown block types are skipped, so a new block in
// the CMS never breaks a page.

import { responsiveImage } from "./components.js";
import { h, richText, uniqueId } from "./dom.js";

const PROSE_IMAGE_SIZES = "(min-width: 48rem) 44rem, 100vw";
const TONE_LABELS = { care_team: "Talk to your care team", info: "Good to know", warning: "Important" };

const renderers = {
  heading(value) {
    const level = value.level === "h3" ? "h3" : "h2";
    return h(level, { id: value.anchor || null, class: "section-heading" }, value.text);
  },

  rich_text(value) {
    return h("div", { class: "rich-text" }, richText(value, { imageSizes: PROSE_IMAGE_SIZES }));
  },

  image(value) {
    const credit = [value.caption, value.attribution && `Image: ${value.attribution}`].filter(Boolean);
    return h(
      "figure",
      { class: "figure" },
      responsiveImage(value.image, { sizes: PROSE_IMAGE_SIZES }),
      credit.length && h("figcaption", null, credit.join(" ")),
    );
  },

  callout(value) {
    const tone = TONE_LABELS[value.tone] ? value.tone : "info";
    return h(
      "div",
      { class: `callout callout--${tone}`, role: "note", "aria-label": value.title || TONE_LABELS[tone] },
      h("p", { class: "callout__title" }, value.title || TONE_LABELS[tone]),
      h("div", { class: "rich-text" }, richText(value.text)),
      value.link?.url && h("p", { class: "callout__link" }, h("a", { href: value.link.url }, value.link_text || value.link.title)),
    );
  },

  faq(value) {
    return h(
      "details",
      { class: "faq" },
      h("summary", null, value.question),
      h("div", { class: "rich-text faq__answer" }, richText(value.answer)),
    );
  },

  quote(value) {
    return h(
      "figure",
      { class: "quote" },
      h("blockquote", null, h("p", null, value.text)),
      value.attribution && h("figcaption", null, value.attribution),
    );
  },

  references(value) {
    const headingId = uniqueId("references");
    return h(
      "section",
      { class: "references", "aria-labelledby": headingId },
      h("h2", { id: headingId }, value.heading || "References"),
      h(
        "ol",
        null,
        (value.citations || []).map((citation) =>
          h(
            "li",
            null,
            citation.formatted || citation.title,
            citation.url && [" ", h("a", { href: citation.url, rel: "noopener" }, "Read the source", h("span", { class: "visually-hidden" }, `: ${citation.title}`))],
          ),
        ),
      ),
    );
  },
};

/** The blocks of a body as a fragment; consecutive FAQ items are grouped in one list. */
export function renderBody(blocks = []) {
  const fragment = document.createDocumentFragment();
  let faqGroup = null;
  for (const block of blocks) {
    const render = renderers[block.type];
    if (!render) continue;
    const element = render(block.value);
    if (block.type === "faq") {
      faqGroup ??= fragment.appendChild(h("div", { class: "faq-list" }));
      faqGroup.append(element);
      continue;
    }
    faqGroup = null;
    fragment.append(element);
  }
  return fragment;
}

/** The h2 headings of a body, for an "On this page" list. */
export function sectionHeadings(blocks = []) {
  return blocks
    .filter((block) => block.type === "heading" && block.value.level !== "h3" && block.value.anchor)
    .map((block) => ({ text: block.value.text, anchor: block.value.anchor }));
}
