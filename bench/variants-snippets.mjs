// Variants for bench/variants.mjs: the README's snippet (the boot script deferred, then the
// first-layer hint) against the snippet before it (a classic boot script, no hint) and the
// boot script pasted into the page.
import { readFileSync } from "node:fs";

export default ({ page }) => {
  const ours = page("ours");
  const snippet = /<script defer src="dist\/leptos-consent-boot\.js"><\/script>\s*<script>\(d=>.*?<\/script>/.exec(ours);
  if (!snippet) throw new Error("bench/peers.mjs's snippet changed: update bench/variants-snippets.mjs");
  const boot = readFileSync("site/dist/leptos-consent-boot.js", "utf8");
  return {
    ours,
    "ours-classic": ours.replace(snippet[0], '<script src="dist/leptos-consent-boot.js"></script>'),
    "ours-pasted": ours.replace(snippet[0], () => `<script data-base="/dist/">${boot}</script>`),
  };
};
