// The early banner's words: the first layer's 8 words and the category titles
// in the visitor's language, as the core's `ConsentConfig::localized` (shared
// table: the cases tests/core_i18n.rs writes to target/shared-cases/words.json,
// replayed by tests/mirror/boot-logic.test.mjs). Pure: no DOM.
import { BANNER_TEXTS, normLang } from "./logic.mjs";

const nonEmpty = (v) => typeof v === "string" && v.trim() !== "";

/**
 * The first layer's words in `lang`, as the core's `ConsentConfig::localized`:
 * the site's translation for `lang`, the built-in words of `lang`, the site's
 * words in the default language, the built-in words of the default language,
 * English. Also the category titles (for the GPC note), and `from`: the
 * language of each word that is not `lang` (a fallback: its element says so).
 */
// Twin: src/core/i18n.rs localized
export function localized(cfg, lang, defaultWords, langWords) {
  const d = normLang(cfg.default_language || "en");
  const site = (l) => {
    for (const k in cfg.translations || {}) if (normLang(k) === l) return cfg.translations[k] || {};
  };
  const given = cfg.texts || {};
  const sd = site(d);
  const sl = lang !== d && site(lang);
  if (lang === "en" && !langWords) langWords = BANNER_TEXTS;
  const t = {};
  const from = {};
  for (const k in BANNER_TEXTS) {
    let v = nonEmpty(given[k]) ? given[k] : BANNER_TEXTS[k];
    let l = v === BANNER_TEXTS[k] ? "en" : d;
    if (d !== "en" && defaultWords && v === BANNER_TEXTS[k] && nonEmpty(defaultWords[k])) (v = defaultWords[k]), (l = d);
    if (sd && sd.texts && nonEmpty(sd.texts[k])) (v = sd.texts[k]), (l = d);
    if (lang !== d && langWords && nonEmpty(langWords[k])) (v = langWords[k]), (l = lang);
    if (sl && sl.texts && nonEmpty(sl.texts[k])) (v = sl.texts[k]), (l = lang);
    t[k] = v;
    if (l !== lang) from[k] = l;
  }
  const title = (c) => {
    let v = c.title;
    for (const s of [sd, sl]) if (s && s.categories && s.categories[c.id] && nonEmpty(s.categories[c.id].title)) v = s.categories[c.id].title;
    return v;
  };
  return { t, title, from };
}


/**
 * The words the early banner shows for `lang`: `dw` are the built-in words of
 * the default language, `lw` those of `lang` (either undefined when not
 * fetched or not needed).
 */
export function bannerWords(cfg, lang, dw, lw) {
  return localized(cfg, lang, dw, lang === normLang(cfg.default_language || "en") ? dw : lw);
}
