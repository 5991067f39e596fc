// The same setup after the migration (README, "Migrating from vanilla-cookieconsent"):
// no import (the boot script in the head defines window.CookieConsent), and the
// config translated. Callbacks, categories, services and page markup are unchanged.
const log = (name) => () => window.events.push({ callback: name });

CookieConsent.run({
  revision: 0,
  categories: [
    { id: "necessary", title: "Strictly necessary", read_only: true },
    {
      id: "analytics",
      title: "Analytics",
      description: "How the shop is used.",
      services: [
        {
          id: "ga",
          title: "Google Analytics",
          provider: "Google",
          purpose: "Counts visits and pages viewed.",
          privacy_policy_url: "https://policies.google.com/privacy",
          cookies: [{ name: "_ga*" }],
        },
        {
          id: "hotjar",
          title: "Hotjar",
          provider: "Hotjar",
          purpose: "Records how pages are used.",
          privacy_policy_url: "https://www.hotjar.com/legal/policies/privacy/",
        },
      ],
    },
    { id: "ads", title: "Advertising" },
  ],
  texts: {
    banner_title: "We use cookies",
    banner_description: "Choose which cookies this shop may use.",
  },
  onFirstConsent: log("onFirstConsent"),
  onConsent: log("onConsent"),
  onChange: log("onChange"),
});
