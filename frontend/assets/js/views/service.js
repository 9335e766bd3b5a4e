// A service page (cms.ServicePage): what the treatment is, for whom, its body and FAQ, articles on its topics,
// and the booking call.

import * as api from "../api.js";
import { renderBody } from "../blocks.js";
import { articleCard, bookingBand, bookingLink, callLink, responsiveImage } from "../components.js";
import { h } from "../dom.js";
import { pageHead } from "../layout.js";

const RELATED_COUNT = 3;

export async function serviceView({ page, clinic }) {
  const topicSlugs = (page.topics || []).map((topic) => topic.slug).join(",");
  const reading = topicSlugs
    ? await api.articles({ topic: topicSlugs, order: "-last_reviewed", limit: RELATED_COUNT })
    : { items: [] };

  return {
    content: [
      h(
        "section",
        { class: "hero hero--service", "aria-labelledby": "page-title" },
        h(
          "div",
          { class: "wrap hero__inner" },
          h(
            "div",
            { class: "hero__text" },
            h("p", { class: "eyebrow" }, "Treatment"),
            h("h1", { id: "page-title", tabindex: "-1" }, page.title),
            page.summary && h("p", { class: "lead" }, page.summary),
            page.conditions && h("p", { class: "hero__conditions" }, h("strong", null, "May help with: "), page.conditions),
            h("div", { class: "hero__actions" }, bookingLink(clinic), callLink(clinic)),
          ),
          page.hero_image && responsiveImage(page.hero_image, { sizes: "(min-width: 64rem) 30rem, 100vw", eager: true, className: "hero__image" }),
        ),
      ),
      h("div", { class: "wrap wrap--narrow section" }, h("div", { class: "prose" }, renderBody(page.body))),
      reading.items.length > 0 &&
        h(
          "section",
          { class: "section section--tinted", "aria-labelledby": "reading-heading" },
          h(
            "div",
            { class: "wrap" },
            h("h2", { id: "reading-heading" }, "Read more"),
            h("ul", { class: "card-grid" }, reading.items.map((article) => h("li", null, articleCard(article)))),
          ),
        ),
      bookingBand(clinic),
    ],
    isDemo: page.is_demo,
    head: pageHead(page),
    structuredData: page.seo?.structured_data,
  };
}
