// The contestants of the benchmark: leptos-consent, the same article without a
// consent manager (the control), and the peers from npm (bench/package.json),
// each configured equivalently: categories necessary, performance,
// functionality, marketing and third-party; the same gated tags in the page
// (the demo's local stand-ins: gtag.js + its inline config, Mixpanel, and an
// inline third-party widget). Each peer page is written from the demo's
// index.html: only the consent manager's lines and the gating markup differ.
//
// What a contestant declares:
//   page(html)  the page's HTML (written to <site>/bench-<id>.html)
//   banner      selector of its first layer, visible once shown
//   accept      selector of its "Accept all" button on the first layer
//   files       path prefixes of everything the consent manager loads
// and ours also:
//   ours        true: counted as ours in the reports, not as a peer
//   stamp       its config is stamped by lcc-check (run.mjs)
//   inline      files pasted into the page, counted with a returning visitor's bytes
//   pasted      brotli bytes of script in the page's HTML (the first-layer hint), counted likewise
import { readFileSync } from "node:fs";
import { byteCounts } from "./probe.mjs";

const NM = new URL("node_modules/", import.meta.url).pathname;
/// Served next to the site (see run.mjs): the peers' published files.
export const MOUNTS = {
  "/peers/vanilla-cookieconsent/": `${NM}vanilla-cookieconsent/dist`,
  "/peers/tarteaucitron/": `${NM}tarteaucitronjs`,
  "/peers/osano/": `${NM}cookieconsent/build`,
  "/peers/klaro/": `${NM}klaro/dist`,
};

/// The tags every contestant gates, by the name they log under (tags/monitor.js).
export const TAGS = ["ga", "ga-config", "mixpanel", "reading-list"];

// The built page (site/index.html) is minified by Trunk: attributes may be unquoted.
const CONFIG = /<script[^>]*\bid="?cc-config"?[^>]*>([\s\S]*?)<\/script>/;
// The boot script's tag (deferred, as the README's snippet has it) and the first-layer hint after it.
const BOOT = /<script defer src="?dist\/leptos-consent-boot\.js"?><\/script>\s*<script>\(d=>.*?<\/script>/;
const GATED = /<script[^>]*\btype="?text\/plain"?[^>]*>[\s\S]*?<\/script>/g;

/** The demo page without our consent manager and without its gated scripts. */
function bare(html) {
  if (!CONFIG.test(html) || !BOOT.test(html) || !html.match(GATED)) throw new Error("index.html changed: update bench/peers.mjs");
  return html.replace(CONFIG, "").replace(BOOT, "").replace(GATED, "");
}

const inline = (name, label) => `window.lccDemoTag && window.lccDemoTag("${name}", "${label}");`;
const GA_CONFIG = inline("ga-config", "gtag('config') after gtag.js");
const READING_LIST = inline("reading-list", "third-party reading-list widget");

const TITLES = {
  necessary: "Strictly necessary",
  performance: "Performance",
  functionality: "Functionality",
  marketing: "Marketing",
  "third-party": "Third-party",
};

function vanilla(html) {
  const config = {
    hideFromBots: false, // headless Chromium sets navigator.webdriver
    categories: {
      necessary: { enabled: true, readOnly: true },
      performance: { services: { "google-analytics": { label: "Google Analytics" } } },
      functionality: {},
      marketing: { services: { mixpanel: { label: "Mixpanel" } } },
      "third-party": {},
    },
    language: {
      default: "en",
      translations: {
        en: {
          consentModal: {
            title: "We use cookies",
            description: "We use cookies to measure the site, remember settings and show offers.",
            acceptAllBtn: "Accept all",
            acceptNecessaryBtn: "Reject all",
            showPreferencesBtn: "Manage preferences",
          },
          preferencesModal: {
            title: "Cookie preferences",
            acceptAllBtn: "Accept all",
            acceptNecessaryBtn: "Reject all",
            savePreferencesBtn: "Save preferences",
            sections: Object.entries(TITLES).map(([id, title]) => ({ title, linkedCategory: id })),
          },
        },
      },
    },
  };
  const head = `
  <link rel="stylesheet" href="/peers/vanilla-cookieconsent/cookieconsent.css">
  <script src="/peers/vanilla-cookieconsent/cookieconsent.umd.js"></script>`;
  const tags = `
  <script type="text/plain" data-category="performance" data-service="google-analytics" src="tags/gtag-standin.js"></script>
  <script type="text/plain" data-category="performance" data-service="google-analytics">${GA_CONFIG}</script>
  <script type="text/plain" data-category="marketing" data-service="mixpanel" src="tags/mixpanel-standin.js"></script>
  <script type="text/plain" data-category="third-party">${READING_LIST}</script>
  <script>CookieConsent.run(${JSON.stringify(config)});</script>
`;
  return bare(html).replace("</head>", `${head}\n</head>`).replace("</body>", `${tags}</body>`);
}

function tarteaucitron(html) {
  // tarteaucitron gates services, each a function that adds its scripts.
  const head = `
  <script src="/peers/tarteaucitron/tarteaucitron.js"></script>
  <script>
  tarteaucitron.init({ privacyUrl: "#privacy", hashtag: "#tarteaucitron", cookieName: "tarteaucitron",
    orientation: "bottom", showAlertSmall: false, cookieslist: false, showIcon: false, adblocker: false,
    DenyAllCta: true, AcceptAllCta: true, highPrivacy: true, handleBrowserDNTRequest: false, removeCredit: true,
    moreInfoLink: true, useExternalCss: false, mandatory: true });
  tarteaucitron.services.benchga = { key: "benchga", type: "analytic", name: "Google Analytics", needConsent: true, cookies: ["_ga", "_gid"],
    js: function () { tarteaucitron.addScript("tags/gtag-standin.js", "", function () { ${GA_CONFIG} }); } };
  tarteaucitron.services.benchmixpanel = { key: "benchmixpanel", type: "ads", name: "Mixpanel", needConsent: true, cookies: [],
    js: function () { tarteaucitron.addScript("tags/mixpanel-standin.js"); } };
  tarteaucitron.services.benchreading = { key: "benchreading", type: "other", name: "Reading list", needConsent: true, cookies: [],
    js: function () { ${READING_LIST} } };
  (tarteaucitron.job = tarteaucitron.job || []).push("benchga", "benchmixpanel", "benchreading");
  </script>`;
  return bare(html).replace("</head>", `${head}\n</head>`);
}

function osano(html) {
  // Osano's open-source banner has one choice; the site loads its tags on "allow".
  const head = `
  <link rel="stylesheet" href="/peers/osano/cookieconsent.min.css">
  <script src="/peers/osano/cookieconsent.min.js"></script>`;
  const tags = `
  <script>
  (function () {
    var loaded = false;
    function load() {
      if (loaded) return;
      loaded = true;
      // Download together; gtag('config') waits for gtag.js, as a site would write it.
      function add(src, onload) {
        var s = document.createElement("script");
        s.src = src;
        if (onload) s.onload = onload;
        document.body.appendChild(s);
      }
      add("tags/gtag-standin.js", function () { ${GA_CONFIG} });
      add("tags/mixpanel-standin.js");
      ${READING_LIST}
    }
    window.cookieconsent.initialise({
      type: "opt-in", revokable: false, law: { regionalLaw: false }, location: false,
      content: { message: "We use cookies to measure the site, remember settings and show offers.", allow: "Accept all", deny: "Reject all", link: "Privacy policy", href: "#privacy" },
      onInitialise: function () { if (this.hasConsented()) load(); },
      onStatusChange: function () { if (this.hasConsented()) load(); }
    });
  })();
  </script>
`;
  return bare(html).replace("</head>", `${head}\n</head>`).replace("</body>", `${tags}</body>`);
}

function klaro(html) {
  const config = {
    storageMethod: "cookie",
    acceptAll: true,
    hideDeclineAll: false,
    mustConsent: false,
    translations: { en: { purposes: Object.fromEntries(Object.entries(TITLES).filter(([id]) => id !== "necessary")) } },
    services: [
      { name: "google-analytics", title: "Google Analytics", purposes: ["performance"], cookies: [/^_ga/, "_gid"] },
      { name: "mixpanel", title: "Mixpanel", purposes: ["marketing"] },
      { name: "reading-list", title: "Reading list", purposes: ["third-party"] },
    ],
  };
  const head = `
  <script>window.klaroConfig = ${JSON.stringify(config, (k, v) => (v instanceof RegExp ? v.source : v))};</script>
  <script defer src="/peers/klaro/klaro.js"></script>`;
  const tags = `
  <script type="text/plain" data-type="text/javascript" data-name="google-analytics" data-src="tags/gtag-standin.js"></script>
  <script type="text/plain" data-type="text/javascript" data-name="google-analytics">${GA_CONFIG}</script>
  <script type="text/plain" data-type="text/javascript" data-name="mixpanel" data-src="tags/mixpanel-standin.js"></script>
  <script type="text/plain" data-type="text/javascript" data-name="reading-list">${READING_LIST}</script>
`;
  return bare(html).replace("</head>", `${head}\n</head>`).replace("</body>", `${tags}</body>`);
}

/// The control: the same article with the tags as plain scripts and no consent manager.
function control(html) {
  const tags = `
  <script src="tags/gtag-standin.js"></script>
  <script>${GA_CONFIG}</script>
  <script src="tags/mixpanel-standin.js"></script>
  <script>${READING_LIST}</script>
`;
  return bare(html).replace("</body>", `${tags}</body>`);
}

export const CONTROL = { id: "control", label: "page without a consent manager", page: control, files: [] };

/** The README's snippet after the config: the boot script deferred, then the first-layer hint (boot/hint.html). */
const HINT = readFileSync(new URL("../boot/hint.html", import.meta.url), "utf8");
/** The hint's brotli bytes: in every page's HTML, so counted with a returning visitor's (run.mjs). */
const HINT_BYTES = byteCounts(Buffer.from(HINT)).brotli;
const snippet = (dist) => `<script defer src="${dist}/leptos-consent-boot.js"></script>\n  ${HINT}`;

/** Ours: the demo's config and the snippet, with the same gated tags as the peers (vanilla-compatible markup). */
function ours(html, dist = "dist") {
  const config = JSON.parse(CONFIG.exec(html)[1]);
  // The demo also loads Algolia from the config; the benchmark gates the same tags everywhere.
  for (const c of config.categories) for (const s of c.services || []) delete s.scripts;
  const tags = `
  <script type="text/plain" data-category="performance" data-service="google-analytics" src="tags/gtag-standin.js"></script>
  <script type="text/plain" data-category="performance" data-service="google-analytics">${GA_CONFIG}</script>
  <script type="text/plain" data-category="marketing" data-service="mixpanel" src="tags/mixpanel-standin.js"></script>
  <script type="text/plain" data-category="third-party">${READING_LIST}</script>
`;
  const cmp = `
  <script type="application/json" id="cc-config">${JSON.stringify(config)}</script>
  ${snippet(dist)}`;
  // First in the head, as docs/embedding.md asks: before the page's stylesheets and scripts, which
  // would hold a pasted boot script (and the hint) back until they have loaded.
  const page = bare(html);
  const at = page.indexOf(">", page.indexOf("<meta charset")) + 1;
  if (at === 0) throw new Error("index.html changed: update bench/peers.mjs");
  return (page.slice(0, at) + cmp + page.slice(at)).replace("</body>", `${tags}</body>`);
}

export const CONTESTANTS = [
  // Ours as docs/embedding.md recommends deploying it: the config checked and stamped by lcc-check
  // (run.mjs stamps the page), so Accept all / Reject all need no wasm.
  {
    id: "ours",
    label: "leptos-consent",
    ours: true,
    stamp: true,
    pasted: HINT_BYTES,
    page: (html, site, dist) => ours(html, dist),
    banner: "[data-testid=lcc-banner]",
    accept: "[data-testid=lcc-accept-all]",
    files: ["/dist/leptos-consent"],
  },
  // Stamped, and the boot script pasted into the page (docs/embedding.md):
  // no request before the first layer or the tags can start.
  {
    id: "ours-inline",
    label: "leptos-consent, boot script in the page",
    ours: true,
    stamp: true,
    inline: ["/dist/leptos-consent-boot.js"],
    page: (html, site, dist = "dist") =>
      ours(html, dist).replace(snippet(dist), () => `<script data-base="/${dist}/">${readFileSync(`${site}/${dist}/leptos-consent-boot.js`, "utf8")}</script>`),
    banner: "[data-testid=lcc-banner]",
    accept: "[data-testid=lcc-accept-all]",
    files: ["/dist/leptos-consent"],
  },
  // Stamped, with the snippet as it was until December 2026: the boot script as a classic
  // script that blocks the parser, and no hint (the first layer's files are asked for when
  // it runs). Kept to measure what the deferred script and the hint changed.
  {
    id: "ours-classic",
    label: "leptos-consent, boot script not deferred, no hint",
    ours: true,
    stamp: true,
    page: (html, site, dist = "dist") => ours(html, dist).replace(snippet(dist), `<script src="${dist}/leptos-consent-boot.js"></script>`),
    banner: "[data-testid=lcc-banner]",
    accept: "[data-testid=lcc-accept-all]",
    files: ["/dist/leptos-consent"],
  },
  // The same page with the config not stamped: the early banner checks the config itself
  // (boot/valid.mjs) before it decides a first visit without the wasm.
  {
    id: "ours-unstamped",
    label: "leptos-consent, config not stamped",
    ours: true,
    pasted: HINT_BYTES,
    page: (html, site, dist) => ours(html, dist),
    banner: "[data-testid=lcc-banner]",
    accept: "[data-testid=lcc-accept-all]",
    files: ["/dist/leptos-consent"],
  },
  {
    id: "vanilla",
    label: "vanilla-cookieconsent 3.1.0",
    page: vanilla,
    banner: "#cc-main .cm",
    accept: '#cc-main .cm [data-role="all"]',
    files: ["/peers/vanilla-cookieconsent/"],
  },
  {
    id: "tarteaucitron",
    label: "tarteaucitron 1.34.0",
    page: tarteaucitron,
    banner: "#tarteaucitronAlertBig",
    accept: "#tarteaucitronPersonalize2",
    files: ["/peers/tarteaucitron/"],
  },
  {
    id: "osano",
    label: "Osano cookieconsent 3.1.1",
    page: osano,
    banner: ".cc-window",
    accept: ".cc-window .cc-allow",
    files: ["/peers/osano/"],
  },
  {
    id: "klaro",
    label: "Klaro 0.7.22",
    page: klaro,
    banner: ".klaro .cookie-notice",
    accept: ".klaro .cookie-notice .cm-btn-success",
    files: ["/peers/klaro/"],
  },
];

/** Reads the demo page once. */
export const demoHtml = (site) => readFileSync(`${site}/index.html`, "utf8");

/**
 * One of ours again, built from another distribution: the folder `dir` in the
 * site (an earlier build copied there), for an A/B run of two builds on the
 * same machine in the same run (run.mjs: BENCH_BASELINE=dir).
 */
export function baseline(c, dir) {
  const moved = (p) => p.replace(/^\/dist\//, `/${dir}/`);
  return {
    ...c,
    id: `${c.id}-baseline`,
    label: `${c.label} (baseline: ${dir})`,
    baseline: true,
    page: (html, site) => c.page(html, site, dir),
    files: c.files.map(moved),
    inline: c.inline && c.inline.map(moved),
  };
}
