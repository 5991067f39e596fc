//! Where in a JSON text a parse error happened, as a field path
//! (`categories[2].services[0].enabled`), found from the error's line and
//! column by scanning the text up to there.
//!
//! serde_json reports a line and a column; naming the field is kinder to the
//! person editing the config. Tracking the path while deserializing (as the
//! serde_path_to_error crate does) wraps every deserializer call in generic
//! code that the wasm carries for every type of the config (the bytes:
//! bench/notes.md); this scan is one small function, run only when parsing
//! failed.

/// One open container on the way to the error.
enum Frame {
    /// An object: the key of the member being read, once its name is read.
    Object { key: Option<String>, in_value: bool },
    /// An array: the index of the element being read, and whether it has begun.
    Array(usize, bool),
}

/// The byte offset just after the 1-based `line` and `column` serde_json
/// reports (a column counts bytes from the start of the line), clamped to the
/// text.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column).min(text.len())
}

/// Whitespace or the end of an array element: no element begins there.
fn is_gap(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b',' || b == b']'
}

/// The path of the field being read at the error serde_json reported at
/// `line` and `column` of `text`; empty at the top level.
pub(crate) fn path_at(text: &str, line: usize, column: usize) -> String {
    let end = offset(text, line, column);
    let bytes = &text.as_bytes()[..end];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(Frame::Array(_, begun)) = stack.last_mut() {
            *begun |= !is_gap(bytes[i]);
        }
        match bytes[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                in_value: false,
            }),
            b'[' => stack.push(Frame::Array(0, false)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n, begun)) => {
                    *n += 1;
                    *begun = false;
                }
                Some(Frame::Object { key, in_value }) => {
                    *key = None;
                    *in_value = false;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                // (A key cut off where the error is, at the end of a broken text, is no name yet.)
                if let (true, Some(Frame::Object { key, in_value: false })) = (i < bytes.len(), stack.last_mut()) {
                    let raw = &text[start..=i];
                    *key = Some(serde_json::from_str(raw).unwrap_or_else(|_| raw.trim_matches('"').to_string()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    // An error about an array element's type is reported just before the element: it has begun.
    if let Some(Frame::Array(_, begun)) = stack.last_mut() {
        let next = text.as_bytes()[end..].iter().find(|b| !b.is_ascii_whitespace());
        *begun |= next.is_some_and(|&b| !is_gap(b));
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Array(n, true) => path.push_str(&format!("[{n}]")),
            Frame::Object { key: None, .. } | Frame::Array(_, false) => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::path_at;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        #[serde(default)]
        n: u32,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
        #[serde(default)]
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    /// The path serde_json's own error position leads to.
    fn path(json: &str) -> String {
        let e = serde_json::from_str::<Doc>(json).expect_err("must fail");
        path_at(json, e.line(), e.column())
    }

    #[test]
    fn unknown_field_is_named_with_its_container() {
        assert_eq!(path(r#"{"items":[{"id":"a"},{"id":"b","extra":1}]}"#), "items[1].extra");
        assert_eq!(path(r#"{"items":[],"nmae":"x"}"#), "nmae");
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        assert_eq!(path(r#"{"items":[{"id":"a","n":"seven"}]}"#), "items[0].n");
        assert_eq!(path(r#"{"items":[{"id":5}]}"#), "items[0].id");
        assert_eq!(path(r#"{"items":{"id":"a"}}"#), "items");
        assert_eq!(path(r#"{"items":[1]}"#), "items[0]");
        assert_eq!(path(r#"{"items":[{"id":"a"}],"name":[]}"#), "name");
        assert_eq!(path(r#"{"items":[],"tags":["a", ["b"]]}"#), "tags[1]");
        assert_eq!(path(r#"{"items":[],"tags":[{"b":1}]}"#), "tags[0]");
    }

    #[test]
    fn a_missing_field_names_the_object_that_lacks_it() {
        assert_eq!(path(r#"{"items":[{"id":"a"},{"n":2}]}"#), "items[1]");
        assert_eq!(path(r#"{"name":"x"}"#), "");
    }

    #[test]
    fn escapes_lines_and_broken_text() {
        assert_eq!(
            path("{\n  \"items\": [\n    {\"id\": \"a\\\"b\", \"x\\u0079\": 1}\n  ]\n}"),
            "items[0].xy"
        );
        // (Cut off after an element: the path names the last element read.)
        assert_eq!(path(r#"{"items":[{"id":"a"}"#), "items[0]");
        assert_eq!(path(r#"{"items":[{"id":"a","ide"#), "items[0]");
        assert_eq!(path("[]"), "");
        assert_eq!(path(""), "");
    }
}
