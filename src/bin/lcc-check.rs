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

use leptos_consent::core::checked_stamp;

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
        return checked_stamp(&text).map(Some).map_err(|e| format!("{path}: {e}"));
    }
    let (open, gt, end) = config_span(&text).ok_or_else(|| format!("{path}: no <script id=\"cc-config\"> element"))?;
    if text[open..gt].contains("data-src") {
        return Ok(None);
    }
    let stamp = checked_stamp(&text[gt + 1..end]).map_err(|e| format!("{path}: config: {e}"))?;
    if write {
        std::fs::write(path, stamped(&text, open, gt, &stamp)).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(Some(stamp))
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
