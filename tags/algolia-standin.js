// LOCAL STAND-IN for Algolia's search-insights loader (offline here).
// Sets the _ALGOLIA user-token cookie the library sets and logs that it ran.
(function () {
  document.cookie = "_ALGOLIA=anonymous-" + Math.floor(Math.random() * 1e9) + "; path=/; max-age=15552000; SameSite=Lax";
  window.aa = window.aa || function () {};
  window.lccDemoTag && window.lccDemoTag("algolia", "Algolia Insights (stand-in)");
})();
