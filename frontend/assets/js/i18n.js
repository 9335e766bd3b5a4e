// The reader's language: the page's own (the API's meta.locale), else the path's prefix (/es/...), else English.
// Sets <html lang>, formats dates and numbers with Intl in that language, and words the front end's own labels.
// Content (titles, bodies, topic names, the clinic's disclaimer) comes translated from the API.

export const DEFAULT_LANGUAGE = "en";
export const LANGUAGES = { en: "English", es: "Español" };
// Intl locales: US English and US Spanish ("1 de octubre de 2026"), the clinic's readers.
const INTL_LOCALES = { en: "en-US", es: "es-US" };

let current = DEFAULT_LANGUAGE;

/** "/es/articulos/x/" -> "es"; any path without another language's prefix -> the default language. */
export function languageOfPath(pathname) {
  const first = pathname.split("/")[1] || "";
  return first !== DEFAULT_LANGUAGE && first in LANGUAGES ? first : DEFAULT_LANGUAGE;
}

/** The home path of a language: "/" for the default one, "/es/" for Spanish. */
export function homePath(language = current) {
  return language === DEFAULT_LANGUAGE ? "/" : `/${language}/`;
}

export function language() {
  return current;
}

export function setLanguage(code) {
  current = code in LANGUAGES ? code : DEFAULT_LANGUAGE;
  document.documentElement.lang = current;
  return current;
}

function intlLocale() {
  return INTL_LOCALES[current] || current;
}

/** "2026-10-01" -> "October 1, 2026" / "1 de octubre de 2026" (the date as written, whatever the reader's zone). */
export function formatDate(isoDate) {
  if (!isoDate) return "";
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "long", timeZone: "UTC" }).format(date);
}

/** 1234.5 -> "1,234.5" / "1234,5" (Intl's grouping and decimal mark for the language). */
export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(intlLocale(), options).format(value);
}

// The front end's own words in Spanish (keys are the English text). A missing entry shows the English.
const SPANISH = {
  Home: "Inicio",
  Treatments: "Tratamientos",
  "Stay informed": "Manténgase informado",
  "Call us: ": "Llámenos: ",
  "Phone: ": "Teléfono: ",
  "Get new articles by email or text": "Reciba artículos nuevos por correo o mensaje de texto",
  "Book a consultation": "Pida una consulta",
  "In an emergency call 911. In a mental health crisis call or text 988 (Suicide & Crisis Lifeline).":
    "En una emergencia llame al 911. En una crisis de salud mental llame o envíe un mensaje de texto al 988 " +
    "(Línea de Prevención del Suicidio y Crisis; atención en español).",
  "Preview. ": "Vista previa. ",
  "This is a draft as the editor sees it; visitors will not see it until it is published.":
    "Es un borrador tal como lo ve el editor; los visitantes no lo verán hasta que se publique.",
  "Demo content. ": "Contenido de demostración. ",
  "This page is sample content for trying out the site, not medical advice.":
    "Esta página es contenido de muestra para probar el sitio, no consejo médico.",
  "Medically reviewed by ": "Revisado médicamente por ",
  "Medically reviewed by": "Revisado médicamente por",
  "Last reviewed ": "Última revisión: ",
  "Last reviewed": "Última revisión",
  "Last updated ": "Última actualización: ",
  "min read": "min de lectura",
  "On this page": "En esta página",
  "Written by": "Escrito por",
  "About this article": "Sobre este artículo",
  "Related articles": "Artículos relacionados",
  Breadcrumb: "Ruta de navegación",
  Main: "Principal",
  Footer: "Pie de página",
  Language: "Idioma",
  "Medical disclaimer": "Aviso médico",
  "Medical disclaimer. ": "Aviso médico. ",
  "Reviewed ": "Revisado el ",
};

/** The front end's label in the reader's language. */
export function t(english) {
  return current === "es" ? SPANISH[english] || english : english;
}

/**
 * Links of the language switch: for each language, the page's own translation when the API lists one
 * (meta.translations), else that language's home page. Keeps the reader on the same article.
 */
export function languageLinks(translations = []) {
  return Object.entries(LANGUAGES).map(([code, name]) => {
    const translation = translations.find((item) => item.locale === code);
    return { code, name, href: translation?.html_path || homePath(code), current: code === current, sameContent: Boolean(translation) };
  });
}
