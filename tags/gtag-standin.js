// LOCAL STAND-IN for Google's gtag.js (the real one cannot be fetched offline).
// Like gtag: sets _ga, _ga_<id> and _gid on the highest domain it can, keeps
// rewriting them every second, and stops once Consent Mode denies
// analytics_storage through the dataLayer. Logs that it ran.
(function () {
  var twoYears = 63072000, day = 86400, now = Math.floor(Date.now() / 1000);
  var clientId = Math.floor(Math.random() * 1e9) + "." + now;
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== "function") {
    window.gtag = function () { window.dataLayer.push(arguments); };
  }
  function topDomain() {
    var host = location.hostname, parts = host.split(".");
    if (parts.length < 2 || /^[0-9.]+$/.test(host)) return "";
    for (var i = parts.length - 2; i >= 0; i--) {
      var d = parts.slice(i).join(".");
      document.cookie = "_ga_probe=1; domain=" + d + "; path=/";
      if (document.cookie.indexOf("_ga_probe=1") >= 0) {
        document.cookie = "_ga_probe=; domain=" + d + "; path=/; max-age=0";
        return d;
      }
    }
    return "";
  }
  function analyticsDenied() {
    var denied = false;
    for (var i = 0; i < window.dataLayer.length; i++) {
      var e = window.dataLayer[i];
      if (e && e[0] === "consent" && e[2] && e[2].analytics_storage) denied = e[2].analytics_storage === "denied";
    }
    return denied;
  }
  var dom = topDomain();
  dom = dom ? "; domain=" + dom : "";
  function write() {
    if (analyticsDenied()) return false;
    document.cookie = "_ga=GA1.1." + clientId + dom + "; path=/; max-age=" + twoYears + "; SameSite=Lax";
    document.cookie = "_ga_DEMO123=GS1.1." + now + ".1.0" + dom + "; path=/; max-age=" + twoYears + "; SameSite=Lax";
    document.cookie = "_gid=GA1.1." + clientId + dom + "; path=/; max-age=" + day + "; SameSite=Lax";
    return true;
  }
  write();
  var timer = setInterval(function () { if (!write()) clearInterval(timer); }, 1000);
  window.lccDemoTag && window.lccDemoTag("ga", "Google Analytics (stand-in gtag.js)");
})();
