//! Time and randomness, the two inputs core takes as arguments.

/// Milliseconds since the Unix epoch, from the browser clock.
pub fn now_ms() -> u64 {
    let t = js_sys::Date::now();
    if t.is_finite() && t > 0.0 {
        t as u64
    } else {
        0
    }
}

/// 16 random bytes for a consent id: `crypto.getRandomValues`, or
/// `Math.random` where a host page has broken `crypto`.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}
