//! Languages: which one a visitor gets, and the config's words in it.
//!
//! The interface words of every built-in language ship as files of the
//! distribution (`i18n/<code>.json`, a flat map of [`Texts`] field names to
//! words); the web layer loads the one it needs and passes it in as
//! [`Words`]. A site can override any word, and title its categories and
//! services, per language in the config's `translations`. A word missing in
//! the visitor's language falls back to the default language: never to a key.

use std::collections::BTreeMap;

use super::config::{ConsentConfig, TextLanguages, Texts, Translation, Words, DEFAULT_LANGUAGE};
use super::map_from;

/// Languages whose interface words ship with the distribution.
pub const BUILT_IN_LANGUAGES: [&str; 11] = ["en", "zh", "ja", "de", "fr", "es", "it", "pt", "nl", "pl", "ar"];

/// A language tag in the form used for matching: lower case, `-` separated.
///
/// Twin: boot/logic.mjs normLang
pub fn normalize_language(tag: &str) -> String {
    tag.trim().replace('_', "-").to_ascii_lowercase()
}

/// Whether `lang` has a words file in the distribution (`i18n/<lang>.json`):
/// a built-in language other than English, whose words are in [`Texts::default`].
/// `lang` is a normalized tag, as [`ConsentConfig::choose_language`] returns it.
pub fn has_words_file(lang: &str) -> bool {
    lang != DEFAULT_LANGUAGE && BUILT_IN_LANGUAGES.contains(&lang)
}

/// Whether text in this language runs right to left.
///
/// Twin: boot/logic.mjs isRtl
pub fn is_rtl(lang: &str) -> bool {
    matches!(
        primary(&normalize_language(lang)),
        "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "ku"
    )
}

fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Chinese written in traditional characters, which the built-in Simplified
/// Chinese (`zh`) must not stand in for.
fn is_traditional_chinese(tag: &str) -> bool {
    primary(tag) == "zh" && tag.split('-').skip(1).any(|s| matches!(s, "hant" | "tw" | "hk" | "mo"))
}

/// The available language `wanted` asks for: the exact tag, else its primary
/// subtag (`en-US` → `en`, `pt-BR` → `pt`; `zh-TW` and `zh-Hant` do not match
/// the Simplified `zh`).
///
/// Twin: boot/logic.mjs matchLanguage
pub fn match_language(wanted: &str, available: &[String]) -> Option<String> {
    let wanted = normalize_language(wanted);
    if wanted.is_empty() {
        return None;
    }
    if let Some(exact) = available.iter().find(|a| **a == wanted) {
        return Some(exact.clone());
    }
    if is_traditional_chinese(&wanted) {
        return None;
    }
    let p = primary(&wanted);
    available.iter().find(|a| a.as_str() == p).cloned()
}

impl ConsentConfig {
    /// The languages this config can be shown in: the built-in ones, the
    /// default language, and every language the config translates into.
    ///
    /// Twin: boot/logic.mjs languages
    pub fn languages(&self) -> Vec<String> {
        let mut out: Vec<String> = BUILT_IN_LANGUAGES.iter().map(|l| (*l).to_owned()).collect();
        for l in std::iter::once(&self.default_language).chain(self.translations.keys()) {
            let l = normalize_language(l);
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }

    /// The language to show: the config's `language`, else the page's
    /// `<html lang>`, else the first of the browser's languages that is
    /// available, else the default language.
    ///
    /// Twin: boot/logic.mjs chooseLanguage
    pub fn choose_language(&self, html_lang: Option<&str>, browser: &[String]) -> String {
        let available = self.languages();
        self.language
            .iter()
            .map(String::as_str)
            .chain(html_lang)
            .chain(browser.iter().map(String::as_str))
            .find_map(|wanted| match_language(wanted, &available))
            .unwrap_or_else(|| normalize_language(&self.default_language))
    }

    /// Whether the interface can be shown in `lang`: the default language and
    /// English always, another language with its built-in words or the
    /// site's own translation.
    pub fn can_show(&self, lang: &str, has_built_in_words: bool) -> bool {
        let lang = normalize_language(lang);
        lang == normalize_language(&self.default_language)
            || lang == DEFAULT_LANGUAGE
            || has_built_in_words
            || self.translation(&lang).is_some()
    }

    /// The site's own words for `lang` (a normalised tag), whatever case or
    /// separator its key in `translations` was written with.
    pub fn translation(&self, lang: &str) -> Option<&Translation> {
        self.translations
            .iter()
            .find(|(k, _)| normalize_language(k) == lang)
            .map(|(_, t)| t)
    }

    /// This config with its words in `lang`. `default_words` are the built-in
    /// words of the default language (none needed for English), `words` those
    /// of `lang`. Each word comes from the first that has it: the site's
    /// translation for `lang`, the built-in words of `lang`, the site's words
    /// in the default language (`texts`, `translations.<default>`), the
    /// built-in words of the default language, English.
    ///
    /// Each text's language is noted where it is not `lang` (a fallback):
    /// [`ConsentConfig::text_language`] gives the element that holds it its
    /// own `lang` and `dir`. A word equal to the built-in English one is
    /// English; any other the site gave is in the default language.
    ///
    /// Twin: boot/words.mjs localized
    pub fn localized(&self, lang: &str, default_words: Option<&Words>, words: Option<&Words>) -> ConsentConfig {
        let lang = normalize_language(lang);
        let default = normalize_language(&self.default_language);
        let mut out = self.clone();
        let english = Texts::default();
        // English is built in: a visitor in English on a site written in another language gets it.
        let english_words = english.words();
        let words = words.or((lang == DEFAULT_LANGUAGE).then_some(&english_words));
        let mut texts = self.texts.clone();
        // (Filled by insert: collect() into a map compiles a sort per iterator type into the wasm.)
        let mut from: BTreeMap<String, String> = BTreeMap::new();
        for k in Texts::KEYS {
            let l = if texts.get(k) == english.get(k) {
                DEFAULT_LANGUAGE
            } else {
                &default
            };
            from.insert(format!("texts.{k}"), l.to_owned());
        }
        // Puts `w` in, noting that those words are in `l`.
        let mut merge = |texts: &mut Texts, w: &Words, l: &str| {
            for (k, v) in w {
                if texts.get(k).is_some() && !v.trim().is_empty() {
                    from.insert(format!("texts.{k}"), l.to_owned());
                }
            }
            *texts = texts.merged(w);
        };
        if default != DEFAULT_LANGUAGE {
            if let Some(dw) = default_words {
                // A word the site left at its English default takes the default language's.
                let left = english.diff_keys(&texts, dw);
                merge(&mut texts, &left, &default);
            }
        }
        let site = |l: &str| self.translation(l);
        if let Some(t) = site(&default) {
            merge(&mut texts, &t.texts, &default);
        }
        if lang != default {
            if let Some(w) = words {
                merge(&mut texts, w, &lang);
            }
            if let Some(t) = site(&lang) {
                merge(&mut texts, &t.texts, &lang);
            }
        }
        out.texts = texts;
        for c in &out.categories {
            for f in ["title", "description"] {
                from.insert(format!("categories.{}.{f}", c.id), default.clone());
            }
            for s in &c.services {
                for f in ["title", "purpose", "cookies"] {
                    from.insert(format!("services.{}.{f}", s.id), default.clone());
                }
            }
        }
        for l in [&default, &lang] {
            let Some(t) = site(l) else { continue };
            let mut set = |target: &mut String, value: &Option<String>, key: String| {
                if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                    target.clone_from(v);
                    from.insert(key, l.clone());
                }
            };
            for c in &mut out.categories {
                if let Some(w) = t.categories.get(&c.id) {
                    set(&mut c.title, &w.title, format!("categories.{}.title", c.id));
                    set(
                        &mut c.description,
                        &w.description,
                        format!("categories.{}.description", c.id),
                    );
                }
                for s in &mut c.services {
                    if let Some(w) = t.services.get(&s.id) {
                        set(&mut s.title, &w.title, format!("services.{}.title", s.id));
                        set(&mut s.purpose, &w.purpose, format!("services.{}.purpose", s.id));
                    }
                }
            }
        }
        let mut other = BTreeMap::new();
        for (k, l) in from {
            if l != lang {
                other.insert(k, l);
            }
        }
        out.text_languages = TextLanguages { other };
        out
    }

    /// The language of a text shown after [`ConsentConfig::localized`] and its
    /// direction, when it is not the language shown (a fallback), for the
    /// element that holds it (WCAG 3.1.2): `key` is `texts.<word>`,
    /// `categories.<id>.title` or `.description`, `services.<id>.title`,
    /// `.purpose` or `.cookies` (the cookie table's words).
    pub fn text_language(&self, key: &str) -> (Option<String>, Option<&'static str>) {
        match self.text_languages.other.get(key) {
            Some(l) => (Some(l.clone()), Some(if is_rtl(l) { "rtl" } else { "ltr" })),
            None => (None, None),
        }
    }

    /// [`ConsentConfig::text_language`] of the interface word `word` (`"accept_all"`).
    pub fn word_language(&self, word: &str) -> (Option<String>, Option<&'static str>) {
        self.text_language(&format!("texts.{word}"))
    }

    /// The categories and services whose title or description (purpose) has
    /// no translation into `lang`: shown in the default language there.
    /// Empty for the default language.
    pub fn untranslated(&self, lang: &str) -> (Vec<String>, Vec<String>) {
        let lang = normalize_language(lang);
        if lang == normalize_language(&self.default_language) {
            return (Vec::new(), Vec::new());
        }
        let t = self.translation(&lang);
        let has = |v: Option<&Option<String>>| v.and_then(Option::as_ref).is_some_and(|v| !v.trim().is_empty());
        let categories = self
            .categories
            .iter()
            .filter(|c| {
                let w = t.and_then(|t| t.categories.get(&c.id));
                !has(w.map(|w| &w.title)) || !(c.description.is_empty() || has(w.map(|w| &w.description)))
            })
            .map(|c| c.id.clone())
            .collect();
        let services = self
            .services()
            .filter(|(_, s)| {
                let w = t.and_then(|t| t.services.get(&s.id));
                !has(w.map(|w| &w.title)) || !has(w.map(|w| &w.purpose))
            })
            .map(|(_, s)| s.id.clone())
            .collect();
        (categories, services)
    }
}

impl Texts {
    /// These texts with `words` put in (unknown names and empty words ignored:
    /// the config's validation reports them).
    pub fn merged(&self, words: &Words) -> Texts {
        let mut out = self.clone();
        for (k, v) in words {
            if let Some(field) = out.get_mut(k).filter(|_| !v.trim().is_empty()) {
                field.clone_from(v);
            }
        }
        out
    }

    /// These texts as words by field name.
    pub fn words(&self) -> Words {
        map_from(self.fields().iter().map(|(k, v)| ((*k).to_owned(), (*v).clone())))
    }

    /// The words of `other` for the fields where `current` still has this
    /// (English default) text.
    fn diff_keys(&self, current: &Texts, other: &Words) -> Words {
        map_from(
            other
                .iter()
                .filter(|(k, _)| self.get(k).is_some() && self.get(k) == current.get(k))
                .map(|(k, v)| (k.clone(), v.clone())),
        )
    }
}

/// Checks a language's words: every name is a [`Texts`] field. Returns the unknown names.
pub fn unknown_words(words: &Words) -> Vec<String> {
    words
        .keys()
        .filter(|k| !Texts::KEYS.contains(&k.as_str()))
        .cloned()
        .collect()
}
