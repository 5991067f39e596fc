// leptos-consent.js: the UI's JS side. The wasm-bindgen glue (its default
// export starts the wasm), the event translation for window.CookieConsent, and
// the step that turns an API call's arguments into what the wasm reads.
export { default } from "../target/bindgen/leptos-consent.js";
export { listen } from "./events.mjs";
import { own } from "./logic.mjs";

/**
 * Passes `CookieConsent.<method>(...args)` to the wasm's `call(method, json)`
 * (src/core/api.rs reads it). A RegExp given to eraseCookies becomes the names
 * of the cookies it matches now.
 */
export function send(call, method, args) {
  if (method === "eraseCookies") {
    const present = own("cookie").split(/;\s*/).map((c) => c.split("=")[0]);
    args[0] = [].concat(args[0]).flatMap((p) => (p instanceof RegExp ? present.filter((n) => p.test(n)) : [p]));
  }
  let json;
  try {
    json = JSON.stringify(args);
  } catch (e) {
    return console.warn("leptos-consent: CookieConsent." + method + ": arguments are not plain data (" + e + ")");
  }
  call(method, json);
}
