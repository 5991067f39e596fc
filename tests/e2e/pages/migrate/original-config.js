// The site's vanilla-cookieconsent v3 setup, as its documentation shows it.
import "/vendor/cookieconsent/cookieconsent.umd.js";

const log = (name) => () => window.events.push({ callback: name });

CookieConsent.run({
  // Headless Chromium sets navigator.webdriver, which vanilla-cookieconsent treats as a bot.
  hideFromBots: false,
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: {
      autoClear: { cookies: [{ name: /^_ga/ }] },
      services: { ga: { label: "Google Analytics" }, hotjar: { label: "Hotjar" } },
    },
    ads: {},
  },
  onFirstConsent: log("onFirstConsent"),
  onConsent: log("onConsent"),
  onChange: log("onChange"),
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "We use cookies",
          description: "Choose which cookies this shop may use.",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Manage preferences",
        },
        preferencesModal: {
          title: "Cookie preferences",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save preferences",
          sections: [
            { title: "Strictly necessary", linkedCategory: "necessary" },
            { title: "Analytics", description: "How the shop is used.", linkedCategory: "analytics" },
            { title: "Advertising", linkedCategory: "ads" },
          ],
        },
      },
    },
  },
});
