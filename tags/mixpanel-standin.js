// LOCAL STAND-IN for Mixpanel's loader (the real CDN cannot be reached offline).
// Sets the cookie Mixpanel sets for project token "demotoken" and logs that it ran.
(function () {
  var value = encodeURIComponent(JSON.stringify({ distinct_id: "demo-" + Math.floor(Math.random() * 1e9), $initial_referrer: "$direct" }));
  document.cookie = "mp_demotoken_mixpanel=" + value + "; path=/; max-age=31536000; SameSite=Lax";
  window.mixpanel = window.mixpanel || { opt_out_tracking: function () {}, track: function () {} };
  window.lccDemoTag && window.lccDemoTag("mixpanel", "Mixpanel (stand-in)");
})();
