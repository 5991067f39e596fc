//! The JavaScript API's commands (`window.CookieConsent`, with
//! vanilla-cookieconsent v3's names and meaning), parsed and turned into
//! choices here so that their rules are tested natively.
//!
//! The boot script forwards every call that changes something as a command
//! name and its arguments as a JSON array; [`ApiCommand::parse`] reads them.

use serde::Deserialize;

use super::config::ConsentConfig;
use super::decision::Choice;

/// One category or service name, several, or a keyword: `"all"` means every
/// one, an empty list none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names {
    /// A single name (or `"all"`).
    One(String),
    /// A list of names; empty means none.
    Many(Vec<String>),
}

impl Names {
    fn selects(&self, id: &str) -> bool {
        match self {
            Names::One(s) => s == "all" || s == id,
            Names::Many(v) => v.iter().any(|s| s == id),
        }
    }

    fn listed(&self) -> Vec<&str> {
        match self {
            Names::One(s) if s == "all" => Vec::new(),
            Names::One(s) => vec![s.as_str()],
            Names::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// A call of the JS API that the UI carries out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiCommand {
    /// `show()`: shows the first-layer banner.
    Show,
    /// `hide()`: hides the banner without deciding.
    Hide,
    /// `showPreferences()`: opens the preferences modal.
    ShowPreferences,
    /// `hidePreferences()`: closes it without saving.
    HidePreferences,
    /// `acceptCategory(categories?, exclude?)`.
    AcceptCategory {
        /// `None`: the switches of the open preferences modal, else the current state.
        categories: Option<Names>,
        /// Categories left out even when `categories` names them or says `"all"`.
        exclude: Vec<String>,
    },
    /// `acceptService(services, category)`.
    AcceptService {
        /// The services of `category` to accept; the others in it are refused.
        services: Names,
        /// The category they belong to.
        category: String,
    },
    /// `setLanguage(lang, force?)`: shows the interface in another language.
    SetLanguage {
        /// The language asked for (`"de"`, `"pt-BR"`).
        language: String,
        /// Draw it again even when it is the language shown (vanilla-cookieconsent's
        /// `forceUpdate`); without it, asking for the language shown changes nothing.
        force: bool,
    },
    /// `setCookieData({ value, mode })`: what the site keeps with the consent in
    /// force. The boot script works out the new value (vanilla-cookieconsent's
    /// `mode: "update"` merges) and passes it as JSON text.
    SetCookieData {
        /// The data as JSON text, at most [`super::record::MAX_DATA_BYTES`].
        data: String,
    },
    /// `eraseCookies(names, path?, domain?)`: names are exact cookie names or
    /// `*` patterns (the boot script expands a JS `RegExp` into the names it matches).
    EraseCookies {
        /// Cookie names or patterns.
        names: Vec<String>,
        /// The path they were set on (default: every path the page can reach).
        path: Option<String>,
        /// The domain they were set on (default: the page's host and its parents).
        domain: Option<String>,
    },
    /// `reset(eraseCookie?)`: closes the UI; with `true` also forgets the
    /// stored decision, which then counts as a withdrawal.
    Reset {
        /// Whether to forget the stored decision.
        erase: bool,
    },
}

/// A malformed API call: the method and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError(pub String);

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ApiError {}

/// One positional argument as JS passed it (after `JSON.stringify`). Read
/// by hand rather than through `serde_json::Value` or an untagged enum: it
/// keeps the wasm small.
enum Arg {
    Absent,
    Bool(bool),
    Text(String),
    List(Vec<String>),
    Other,
}

impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(ArgVisitor)
    }
}

struct ArgVisitor;

impl<'de> serde::de::Visitor<'de> for ArgVisitor {
    type Value = Arg;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an argument")
    }
    fn visit_unit<E>(self) -> Result<Arg, E> {
        Ok(Arg::Absent)
    }
    fn visit_none<E>(self) -> Result<Arg, E> {
        Ok(Arg::Absent)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Arg, E> {
        Ok(Arg::Bool(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Arg, E> {
        Ok(Arg::Text(v.to_owned()))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Arg, E> {
        Ok(Arg::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Arg, E> {
        Ok(Arg::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Arg, E> {
        Ok(Arg::Other)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
        let mut out = Vec::new();
        let mut strings = true;
        while let Some(item) = seq.next_element::<Arg>()? {
            match item {
                Arg::Text(s) => out.push(s),
                _ => strings = false,
            }
        }
        Ok(if strings { Arg::List(out) } else { Arg::Other })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Arg::Other)
    }
}

impl ApiCommand {
    /// Reads `CookieConsent.<method>(...args)`, with `args` as a JSON array.
    pub fn parse(method: &str, args_json: &str) -> Result<Self, ApiError> {
        let bad = |what: &str| ApiError(format!("CookieConsent.{method}: {what}"));
        let args: Vec<Arg> = serde_json::from_str(args_json).map_err(|_| bad("arguments are not a list"))?;
        let mut args = args.into_iter();
        let mut next = || args.next().unwrap_or(Arg::Absent);
        let names = |a: Arg, what: &str| match a {
            Arg::Absent => Ok(None),
            Arg::Text(s) => Ok(Some(Names::One(s))),
            Arg::List(v) => Ok(Some(Names::Many(v))),
            _ => Err(bad(what)),
        };
        let text = |a: Arg, what: &str| match a {
            Arg::Absent => Ok(None),
            Arg::Text(s) => Ok(Some(s)),
            _ => Err(bad(what)),
        };
        let list = |n: Option<Names>| match n {
            None => Vec::new(),
            Some(Names::One(s)) => vec![s],
            Some(Names::Many(v)) => v,
        };
        Ok(match method {
            "show" => ApiCommand::Show,
            "hide" => ApiCommand::Hide,
            "showPreferences" => ApiCommand::ShowPreferences,
            "hidePreferences" => ApiCommand::HidePreferences,
            "acceptCategory" => ApiCommand::AcceptCategory {
                categories: names(next(), "categories must be a name, a list of names or \"all\"")?,
                exclude: list(names(next(), "excluded categories must be a list of names")?),
            },
            "acceptService" => ApiCommand::AcceptService {
                services: names(next(), "services must be a name, a list of names or \"all\"")?
                    .ok_or_else(|| bad("name the services to accept (or \"all\", or [] for none)"))?,
                category: text(next(), "the category must be a name")?
                    .ok_or_else(|| bad("name the category the services belong to"))?,
            },
            "setLanguage" => ApiCommand::SetLanguage {
                language: text(next(), "the language must be a code such as \"de\"")?
                    .ok_or_else(|| bad("name the language, e.g. \"de\""))?,
                force: matches!(next(), Arg::Bool(true)),
            },
            "setCookieData" => {
                let data = text(next(), "the data must be JSON text")?.ok_or_else(|| bad("give the data"))?;
                if serde_json::from_str::<serde::de::IgnoredAny>(&data).is_err() {
                    return Err(bad("the data is not JSON"));
                }
                // (Counted as stored: escaped inside the record's JSON string.)
                let stored = serde_json::to_string(&data).map_or(usize::MAX, |s| s.len());
                if stored > super::record::MAX_DATA_BYTES {
                    return Err(bad(&format!(
                        "the data is {stored} bytes as stored, over {}; nothing changed",
                        super::record::MAX_DATA_BYTES
                    )));
                }
                ApiCommand::SetCookieData { data }
            }
            "eraseCookies" => {
                let names = names(next(), "cookies must be a name or a list of names")?
                    .ok_or_else(|| bad("name the cookies to erase"))?;
                ApiCommand::EraseCookies {
                    names: list(Some(names)),
                    path: text(next(), "the path must be a string")?,
                    domain: text(next(), "the domain must be a string")?,
                }
            }
            "reset" => ApiCommand::Reset {
                erase: matches!(next(), Arg::Bool(true)),
            },
            other => return Err(ApiError(format!("CookieConsent.{other} is not a method"))),
        })
    }
}

/// The choice `acceptCategory(categories, exclude)` saves, starting from
/// `current` (the stored state, or the open modal's switches).
///
/// As in vanilla-cookieconsent v3: the named categories are accepted with all
/// their services and every other optional one is refused; `"all"` accepts
/// every category, `[]` only the read-only ones; `None` saves `current` as it
/// is. Excluded categories are refused. Returns the choice and the names that
/// are not categories of the config (ignored).
///
/// Twin: boot/choices.mjs apiChoice
pub fn accept_categories(
    cfg: &ConsentConfig,
    current: &Choice,
    categories: Option<&Names>,
    exclude: &[String],
) -> (Choice, Vec<String>) {
    let mut choice = current.clone();
    let mut unknown: Vec<String> = Vec::new();
    if let Some(sel) = categories {
        unknown.extend(
            sel.listed()
                .into_iter()
                .filter(|n| cfg.category(n).is_none())
                .map(str::to_owned),
        );
        for c in &cfg.categories {
            choice.set_category(cfg, &c.id, sel.selects(&c.id));
        }
    }
    for id in exclude {
        if cfg.category(id).is_none() {
            unknown.push(id.clone());
        }
        choice.set_category(cfg, id, false);
    }
    (choice, unknown)
}

/// The choice `acceptService(services, category)` saves, starting from the
/// stored state `current`: within `category`, exactly the named services are
/// on (`"all"` every one, `[]` none) and the category follows; other
/// categories keep their state. Returns `None` when `category` is not in the
/// config, with the unknown service names otherwise.
///
/// Twin: boot/choices.mjs apiChoice
pub fn accept_services(
    cfg: &ConsentConfig,
    current: &Choice,
    services: &Names,
    category: &str,
) -> Option<(Choice, Vec<String>)> {
    let cat = cfg.category(category)?;
    let mut choice = current.clone();
    let unknown = services
        .listed()
        .into_iter()
        .filter(|n| !cat.services.iter().any(|s| s.id == *n))
        .map(str::to_owned)
        .collect();
    if cat.services.is_empty() {
        // A category without services has only its own switch.
        choice.set_category(cfg, category, matches!(services, Names::One(s) if s == "all"));
    }
    for s in &cat.services {
        choice.set_service(cfg, &s.id, services.selects(&s.id));
    }
    Some((choice, unknown))
}

/// The choice a gated embed's "Load content" saves, starting from the stored
/// state `current`: that service switched on (its category follows), or the
/// whole category when the embed names no service. Nothing else changes.
pub fn grant_for_embed(cfg: &ConsentConfig, current: &Choice, category: &str, service: Option<&str>) -> Choice {
    let mut choice = current.clone();
    match service {
        Some(s) => choice.set_service(cfg, s, true),
        None => choice.set_category(cfg, category, true),
    }
    choice
}
