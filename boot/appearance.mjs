// The first layer's look for the early banner: layout, position and scheme
// classes. Its own module, so the boot script's bundle does not change with it.

/**
 * The first layer's classes for the config's `appearance`, as the core's
 * `Appearance::banner_class` / `scheme_class` / `at_top` (shared table:
 * tests/shared-cases/appearance.json). A value the core would refuse counts
 * as unset here: the UI reports it.
 */
// Twin: src/core/appearance.rs banner_class
export function appearance(a) {
  a = a && typeof a === "object" ? a : {};
  const layout = ["bar", "box", "cloud"].includes(a.layout) ? a.layout : "bar";
  const pos = ["bottom", "top", "bottom-left", "bottom-right", "top-left", "top-right"].includes(a.position) ? a.position : "";
  const top = pos.startsWith("top");
  const place = layout !== "box" ? (top ? "top" : "bottom") : pos === "top" ? "top-right" : pos && pos !== "bottom" ? pos : "bottom-right";
  const scheme = ["dark", "auto"].includes(a.scheme) ? a.scheme : "light";
  return { banner: `lcc-banner lcc-banner--${layout} lcc-banner--${place}`, scheme: "lcc-" + scheme, top };
}
