// TypeScript declarations for window.CookieConsent, as defined by
// leptos-consent-boot.js. The names and meaning follow vanilla-cookieconsent v3
// for the surface below; the config passed to run() is leptos-consent's own
// (see docs/migrating-from-vanilla-cookieconsent.md).

declare namespace LeptosConsent {
  /** What a site's config says; validated by the consent manager, which reports mistakes by field. */
  interface Config {
    revision?: number;
    expires_after_days?: number;
    storage_key?: string;
    reload_on_revoke?: boolean;
    /** false: the banner waits for `show()` (or a `data-cc="show-consentModal"` trigger). Default true. */
    auto_show?: boolean;
    privacy_policy_url?: string;
    categories: Category[];
    /** Interface words in the default language, by name (`accept_all`, …). */
    texts?: Partial<Record<string, string>>;
    /** The language to show whatever the page and the browser say. */
    language?: string;
    /** The language of the config's own words; the fallback for a missing word. Default "en". */
    default_language?: string;
    /** The site's words per language: interface words, category and service titles. */
    translations?: Record<string, Translation>;
    /** Google Consent Mode v2: present (even `{}`) to push gtag('consent', 'update', …) per decision. */
    consent_mode?: { map?: Record<string, ConsentModeKey[]> };
    /** Global Privacy Control: "honour" (default) locks the sale/sharing categories off; "ignore". */
    gpc?: "honour" | "ignore";
    /** The first layer's layout and position, and the colour scheme. */
    appearance?: {
      layout?: "bar" | "box" | "cloud";
      position?: "bottom" | "top" | "bottom-left" | "bottom-right" | "top-left" | "top-right";
      scheme?: "light" | "dark" | "auto";
    };
    /**
     * A copy of the decision in a first-party cookie in vanilla-cookieconsent's `cc_cookie`
     * shape, for server code written for it; written and removed with the decision, never read.
     */
    cookie_mirror?: { name: string; domain?: string; path?: string };
    /**
     * The site's consent log (lcc-server's `/v1/decisions`): each decision is posted there
     * and the server's signed receipt kept for the visitor (docs/consent-log.md).
     */
    log_url?: string;
    /** Called on the visitor's very first decision. */
    onFirstConsent?: (param: { cookie: CookieValue }) => void;
    /** Called on the first decision and on every page view with a standing decision. */
    onConsent?: (param: { cookie: CookieValue }) => void;
    /** Called when a later decision changes what is granted. */
    onChange?: (param: { cookie: CookieValue; changedCategories: string[]; changedServices: Record<string, string[]> }) => void;
    /** Called when the banner ("consentModal") or the preferences ("preferencesModal") show. */
    onModalShow?: (param: { modalName: ModalName }) => void;
    /** Called when they hide. */
    onModalHide?: (param: { modalName: ModalName }) => void;
  }

  interface Translation {
    texts?: Partial<Record<string, string>>;
    categories?: Record<string, { title?: string; description?: string }>;
    services?: Record<string, { title?: string; purpose?: string }>;
  }

  interface Category {
    id: string;
    title: string;
    description?: string;
    /** Only for the "necessary" category: always on. */
    read_only?: boolean;
    /** Sale or sharing of personal data: locked off under Global Privacy Control (default: true for "marketing"). */
    sale_or_sharing?: boolean;
    services?: Service[];
  }

  type ConsentModeKey =
    | "ad_storage"
    | "ad_user_data"
    | "ad_personalization"
    | "analytics_storage"
    | "functionality_storage"
    | "personalization_storage";

  interface Service {
    id: string;
    title: string;
    provider: string;
    purpose: string;
    privacy_policy_url: string;
    cookies?: { name: string; domain?: string; path?: string; purpose?: string; duration?: string }[];
    vendor?: "google-analytics" | "google-ads" | "mixpanel" | "algolia-insights";
    storage_keys?: string[];
    scripts?: { src: string; integrity?: string }[];
  }

  type ModalName = "consentModal" | "preferencesModal";
  type AcceptType = "all" | "necessary" | "custom" | "";

  /** The decision in force, in vanilla-cookieconsent's shape (`getCookie()` is `{}` before any decision). */
  interface CookieValue {
    categories: string[];
    services: Record<string, string[]>;
    revision: number;
    /** What the site keeps with the consent (`setCookieData`); null when nothing. */
    data: unknown;
    /** Undefined only while a first decision the UI must carry out is on its way to it (the UI makes the id). */
    consentId: string | undefined;
    consentTimestamp: string;
    lastConsentTimestamp: string;
    languageCode: string;
    expirationTime: number;
  }

  interface UserPreferences {
    acceptType: AcceptType;
    acceptedCategories: string[];
    rejectedCategories: string[];
    acceptedServices: Record<string, string[]>;
    rejectedServices: Record<string, string[]>;
  }

  interface Api {
    /**
     * Starts with this config when the page has no `<script id="cc-config">` (a second call
     * starts nothing). Resolves once a decision through the API is answered at once (at the
     * latest after three seconds).
     */
    run(config?: Config): Promise<void>;
    /** Shows the first-layer banner. */
    show(createModal?: boolean): void;
    /** Hides the banner without deciding. */
    hide(): void;
    showPreferences(): void;
    hidePreferences(): void;
    /** Accepts exactly these categories ("all": every one; []: only the necessary one); no argument saves the open preferences' switches. */
    acceptCategory(categories?: string | string[], excludedCategories?: string[]): void;
    /**
     * Within one category, accepts exactly these services ("all", or [] for none). Returns
     * false, changing nothing, without services or for a category without services (as
     * vanilla-cookieconsent); undefined otherwise.
     */
    acceptService(services: string | string[], category: string): false | undefined;
    acceptedCategory(category: string): boolean;
    acceptedService(service: string, category: string): boolean;
    /** Whether the visitor has a current decision (not expired, same revision, nothing new to decide). */
    validConsent(): boolean;
    getUserPreferences(): UserPreferences;
    getCookie(): CookieValue | Record<string, never>;
    getCookie<F extends keyof CookieValue>(field: F): CookieValue[F] | undefined;
    /**
     * Keeps `value` with the consent in force (`mode: "update"` merges an object's fields into
     * the data kept). Returns whether the data changed: false, keeping nothing, before the
     * visitor has decided, for a value that is not plain data (undefined, a function, a cycle),
     * or for more than 8 KB of JSON as stored.
     */
    setCookieData(props: { value: unknown; mode?: "overwrite" | "update" }): boolean;
    /** A copy of the config in force (undefined before there is one), or one of its fields (null when it has none). */
    getConfig(): Config | undefined;
    getConfig<F extends keyof Config>(field: F): Config[F] | null | undefined;
    /** Whether the page has a cookie of this name with a non-empty value. */
    validCookie(name: string): boolean;
    /** Removes cookies by name, `*` pattern or RegExp, on the given or every reachable path and domain. */
    eraseCookies(cookies: string | RegExp | (string | RegExp)[], path?: string, domain?: string): void;
    loadScript(src: string, attributes?: Record<string, string>): Promise<boolean>;
    /**
     * Shows the interface in another language (built-in or from `translations`); resolves to
     * whether it did: false without words for it, or (unless `force`) for the language shown.
     */
    setLanguage(language: string, force?: boolean): Promise<boolean>;
    /** Closes the UI; with true also forgets the decision at once (a withdrawal of everything). */
    reset(eraseCookie?: boolean): void;
  }
}

interface Window {
  CookieConsent: LeptosConsent.Api;
}

interface WindowEventMap {
  "cc:onFirstConsent": CustomEvent<{ cookie: LeptosConsent.CookieValue }>;
  "cc:onConsent": CustomEvent<{ cookie: LeptosConsent.CookieValue }>;
  "cc:onChange": CustomEvent<{ cookie: LeptosConsent.CookieValue; changedCategories: string[]; changedServices: Record<string, string[]> }>;
  "cc:onModalShow": CustomEvent<{ modalName: LeptosConsent.ModalName }>;
  "cc:onModalHide": CustomEvent<{ modalName: LeptosConsent.ModalName }>;
  "lcc:language": CustomEvent<{ requested: string; language: string; ok: boolean }>;
  "lcc:script-error": CustomEvent<{ src: string }>;
}

declare var CookieConsent: LeptosConsent.Api;
