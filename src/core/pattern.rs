//! Glob patterns for cookie and storage-key names (`_ga*`, `mp_*_mixpanel`).

/// Whether `name` matches `pattern`, where `*` matches any run of characters
/// (including none) and every other character matches itself.
///
/// Twin: boot/plans.mjs globMatch
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p = pattern.as_bytes();
    let n = name.as_bytes();
    let (mut pi, mut ni) = (0, 0);
    // Position of the last `*` seen and the name index it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if pi < p.len() && p[pi] == n[ni] {
            pi += 1;
            ni += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn matches_exact_prefix_and_inner_globs() {
        let cases = [
            ("_ga", "_ga", true),
            ("_ga", "_gat", false),
            ("_ga*", "_ga", true),
            ("_ga*", "_ga_ABC123", true),
            ("_ga*", "x_ga", false),
            ("mp_*_mixpanel", "mp_abc_mixpanel", true),
            ("mp_*_mixpanel", "mp__mixpanel", true),
            ("mp_*_mixpanel", "mp_abc_mixpanelx", false),
            ("*", "", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ];
        for (p, n, want) in cases {
            assert_eq!(glob_match(p, n), want, "{p} vs {n}");
        }
    }
}
