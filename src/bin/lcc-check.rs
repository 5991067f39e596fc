//! `lcc-check`: checks a leptos-consent config ahead of time and stamps it.
//!
//! ```text
//! lcc-check config.json            check a JSON file; print its stamp
//! lcc-check page.html              check the page's <script id="cc-config">; print its stamp
//! lcc-check --write page.html...   check each page and set data-checked="<stamp>" on its config element
//! ```
//!
//! The stamp (`checked_stamp`: crate version and fingerprint of the exact
//! config text) lets the boot script carry out the first layer's "Accept all"
//! and "Reject all" without loading the UI. An invalid config gets no stamp:
//! the error names the field, and the exit status is 1.

use std::process::ExitCode;

use leptos_consent::core::{checked_stamp, has_words_file, normalize_language, ConsentConfig, DEFAULT_LANGUAGE};

/// A first-layer description longer than this (in characters) needs more than
/// about seven lines on a 360-pixel-wide phone, where the banner shows about
/// two at once above its buttons.
const LONG_DESCRIPTION: usize = 300;

/// What a valid config may still do wrong for a visitor on `page_lang`: the
/// warnings to print.
fn advice(cfg: &ConsentConfig, page_lang: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let default = normalize_language(&cfg.default_language);
    let mut langs: Vec<String> = cfg.language.iter().map(|l| normalize_language(l)).collect();
    langs.extend(page_lang.map(normalize_language));
    langs.dedup();
    for lang in langs {
        let built_in = lang == DEFAULT_LANGUAGE || has_words_file(&lang);
        let (categories, services) = cfg.untranslated(&lang);
        if built_in && lang != default && !(categories.is_empty() && services.is_empty()) {
            let quote = |v: &[String]| v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
            let mut what = Vec::new();
            if !categories.is_empty() {
                what.push(format!("categories {}", quote(&categories)));
            }
            if !services.is_empty() {
                what.push(format!("services {}", quote(&services)));
            }
            out.push(format!(
                "the interface shows in {lang:?} (built-in words), but {} have no {lang:?} title and description (translations.{lang}): they show in {default:?}",
                what.join(" and ")
            ));
        }
    }
    for (lang, words) in std::iter::once((default.as_str(), &cfg.texts.banner_description)).chain(
        cfg.translations
            .iter()
            .filter_map(|(l, t)| t.texts.get("banner_description").map(|w| (l.as_str(), w))),
    ) {
        let n = words.chars().count();
        if n > LONG_DESCRIPTION {
            out.push(format!(
                "the first layer's description in {lang:?} is {n} characters: on a phone only about two lines show at once above the buttons; keep it under {LONG_DESCRIPTION} and leave the detail to the preferences"
            ));
        }
    }
    out
}

/// The page's `<html lang>`, if it has one.
fn page_lang(html: &str) -> Option<String> {
    let start = html.find("<html")?;
    let tag = &html[start..start + html[start..].find('>')?];
    let at = tag.find("lang=")? + 5;
    let rest = tag[at..].trim_start_matches(['"', '\'']);
    let end = rest.find(['"', '\'', ' ', '>']).unwrap_or(rest.len());
    Some(rest[..end].to_owned()).filter(|l| !l.is_empty())
}

/// Where the config element's text starts and ends in an HTML page, and
/// where its opening tag starts and its `>` is. Script elements are walked
/// one by one, each skipped to its end tag, so text inside a script (a pasted
/// boot script mentions `<script … id="cc-config">` in a message) is never
/// taken for the element.
fn config_span(html: &str) -> Option<(usize, usize, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let open = at + found;
        let gt = open + lower[open..].find('>')?;
        let start = gt + 1;
        let end = start + lower[start..].find("</script")?;
        if is_config_tag(&lower[open..gt]) {
            return Some((open, gt, end));
        }
        at = end;
    }
    None
}

/// Whether an opening `<script …` tag (lowercase, without its `>`) has `id` `cc-config`.
fn is_config_tag(tag: &str) -> bool {
    ["id=\"cc-config\"", "id='cc-config'", "id=cc-config"]
        .iter()
        .any(|form| {
            tag.match_indices(form).any(|(i, _)| {
                let before = tag[..i].chars().next_back().is_some_and(char::is_whitespace);
                let after = tag[i + form.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == '/');
                before && after
            })
        })
}

/// The page with `data-checked="<stamp>"` on its config element (replacing an old one).
fn stamped(html: &str, open: usize, gt: usize, stamp: &str) -> String {
    let tag = &html[open..gt];
    let tag = match tag.find(" data-checked=\"") {
        Some(at) => {
            let rest = &tag[at + 15..];
            let close = rest.find('"').map_or(tag.len(), |i| at + 15 + i + 1);
            format!("{}{}", &tag[..at], &tag[close..])
        }
        None => tag.to_owned(),
    };
    format!("{}{tag} data-checked=\"{stamp}\"{}", &html[..open], &html[gt..])
}

/// Checks one file: its stamp, or `None` for a page whose config is loaded by
/// URL (`data-src`: fetched at run time, the UI checks it on every page view).
fn check(path: &str, write: bool) -> Result<Option<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let is_html = path.ends_with(".html") || path.ends_with(".htm");
    if !is_html {
        if write {
            return Err(format!(
                "{path}: --write stamps HTML pages; put the printed stamp on the config element"
            ));
        }
        let stamp = checked_stamp(&text).map_err(|e| format!("{path}: {e}"))?;
        warn(path, &text, None);
        return Ok(Some(stamp));
    }
    let (open, gt, end) = config_span(&text).ok_or_else(|| format!("{path}: no <script id=\"cc-config\"> element"))?;
    if text[open..gt].contains("data-src") {
        return Ok(None);
    }
    let stamp = checked_stamp(&text[gt + 1..end]).map_err(|e| format!("{path}: config: {e}"))?;
    warn(path, &text[gt + 1..end], page_lang(&text).as_deref());
    if write {
        std::fs::write(path, stamped(&text, open, gt, &stamp)).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(Some(stamp))
}

/// Prints the advice for a valid config (see [`advice`]) on standard error.
fn warn(path: &str, config: &str, lang: Option<&str>) {
    if let Ok(cfg) = ConsentConfig::from_json(config) {
        for w in advice(&cfg, lang) {
            eprintln!("lcc-check: warning: {path}: {w}");
        }
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let write = args.first().is_some_and(|a| a == "--write");
    if write {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!(
            "usage: lcc-check [--write] FILE...  (a JSON config, or an HTML page with <script id=\"cc-config\">)"
        );
        return ExitCode::from(2);
    }
    let mut ok = true;
    for path in &args {
        match check(path, write) {
            Ok(Some(stamp)) => println!("{path}: data-checked=\"{stamp}\""),
            Ok(None) => println!("{path}: (config loaded from data-src: not stamped)"),
            Err(e) => {
                eprintln!("lcc-check: {e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
