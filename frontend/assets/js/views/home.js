// The home page (cms.HomePage): hero with the booking call, treatments, newest articles, the subscribe invitation.

import * as api from "../api.js";
import { renderBody } from "../blocks.js";
import { articleCard, bookingBand, bookingLink, callLink, responsiveImage, serviceCard, topicTags } from "../components.js";
import { h, richText } from "../dom.js";
import { pageHead } from "../layout.js";

const FEATURED_COUNT = 3;

export async function homeView({ page, clinic, indexPage }) {
  const [featured, services, topics] = await Promise.all([
    api.articles({ order: "-first_published_at", limit: FEATURED_COUNT }),
    api.services(),
    api.topics(),
  ]);
  const topicPanel =
    indexPage &&
    topics.length > 0 &&
    h(
      "nav",
      { class: "hero__panel", "aria-labelledby": "topics-heading" },
      h("h2", { id: "topics-heading", class: "hero__panel-title" }, "Explore by topic"),
      topicTags(topics, { indexPath: indexPage.meta.html_path, label: "Topics" }),
      h("p", { class: "hero__panel-note" }, "Plain-language articles, written by our team and medically reviewed."),
    );

  const hero = h(
    "section",
    { class: "hero", "aria-labelledby": "page-title" },
    h(
      "div",
      { class: "wrap hero__inner" },
      h(
        "div",
        { class: "hero__text" },
        h("h1", { id: "page-title", tabindex: "-1" }, page.title),
        page.intro && h("div", { class: "hero__intro rich-text" }, richText(page.intro)),
        h("div", { class: "hero__actions" }, bookingLink(clinic), callLink(clinic)),
      ),
      page.hero_image
        ? responsiveImage(page.hero_image, { sizes: "(min-width: 64rem) 30rem, 100vw", eager: true, className: "hero__image" })
        : topicPanel,
    ),
  );

  const body = page.body?.length ? h("section", { class: "wrap prose home-body" }, renderBody(page.body)) : null;

  const treatments =
    services.items.length > 0 &&
    h(
      "section",
      { class: "section", id: "treatments", "aria-labelledby": "treatments-heading" },
      h(
        "div",
        { class: "wrap" },
        h("h2", { id: "treatments-heading" }, "Treatments we offer"),
        h("ul", { class: "card-grid" }, services.items.map((service) => h("li", null, serviceCard(service)))),
      ),
    );

  const latest =
    featured.items.length > 0 &&
    h(
      "section",
      { class: "section section--tinted", "aria-labelledby": "articles-heading" },
      h(
        "div",
        { class: "wrap" },
        h(
          "div",
          { class: "section__header" },
          h("h2", { id: "articles-heading" }, "Featured articles"),
          indexPage && h("a", { href: indexPage.meta.html_path, class: "section__more" }, "All articles"),
        ),
        h("ul", { class: "card-grid" }, featured.items.map((article) => h("li", null, articleCard(article)))),
      ),
    );

  const subscribe = h(
    "section",
    { class: "section", "aria-labelledby": "subscribe-heading" },
    h(
      "div",
      { class: "wrap subscribe-teaser" },
      h("h2", { id: "subscribe-heading" }, "New articles on the topics you choose"),
      h("p", null, "Get an email or a text when we publish something new about the subjects that matter to you. You can stop at any time."),
      h("a", { href: "/subscribe/", class: "button button--secondary" }, "Choose your topics"),
    ),
  );

  return {
    content: [hero, body, treatments, latest, bookingBand(clinic), subscribe],
    isDemo: page.is_demo,
    head: pageHead(page),
    structuredData: page.seo?.structured_data,
  };
}
