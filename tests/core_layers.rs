//! `src/core` reads bottom-up: each module uses only those listed before it
//! in [`ORDER`] (through `super::<module>::` or `crate::core::<module>::`), so
//! there is no cycle and a reader can start at the first. The order is also
//! in `src/core/mod.rs`.
#![cfg(not(target_arch = "wasm32"))]

/// The config's types at the bottom; reading, localising and checking them;
/// the record, the boot protocol's stamps and the consent log's wire format;
/// decisions; the plans on top of them; the server's cookie copy last.
const ORDER: [&str; 17] = [
    "pattern",
    "json_path",
    "appearance",
    "config",
    "i18n",
    "validate",
    "record",
    "stamp",
    "log",
    "decision",
    "api",
    "consent_mode",
    "erase",
    "gate",
    "history",
    "server",
    "mod",
];

#[test]
fn each_core_module_uses_only_those_listed_before_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let level = ORDER
            .iter()
            .position(|m| *m == name)
            .unwrap_or_else(|| panic!("src/core/{name}.rs is not in ORDER: place it"));
        let text = std::fs::read_to_string(&path).unwrap();
        // (A module's own tests may look at anything.)
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (i, prefix) in code
            .match_indices("super::")
            .chain(code.match_indices("crate::core::"))
            .collect::<Vec<_>>()
        {
            let rest = &code[i + prefix.len()..];
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !rest[word.len()..].starts_with("::") {
                // An item of mod.rs itself (`super::map_from`), not a module.
                assert!(
                    word.starts_with(|c: char| c.is_lowercase()),
                    "src/core/{name}.rs reaches {word} through mod.rs's re-exports: name its module"
                );
                continue;
            }
            let used = ORDER
                .iter()
                .position(|m| *m == word)
                .unwrap_or_else(|| panic!("src/core/{name}.rs uses super::{word}, which is not a core module"));
            assert!(
                used < level,
                "src/core/{name}.rs uses {word}, which comes after it: the order is {ORDER:?}"
            );
        }
        seen.push(name);
    }
    assert!(seen.len() >= 14, "{seen:?}");
}
