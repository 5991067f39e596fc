// LOCAL STAND-IN for Google's gtag.js (the real one cannot be fetched offline).
// Sets the cookies gtag sets, on the highest domain it can, and logs that it ran.
(function () {
  var twoYears = 63072000, day = 86400, now = Math.floor(Date.now() / 1000);
  var id = "GA1.1." + Math.floor(Math.random() * 1e9) + "." + now;
  function topDomain() {
    var parts = location.hostname.split(".");
    if (parts.length < 2 || /^[0-9.]+$/.test(location.hostname)) return "";
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
  var d = topDomain(), dom = d ? "; domain=" + d : "";
  document.cookie = "_ga=" + id + dom + "; path=/; max-age=" + twoYears + "; SameSite=Lax";
  document.cookie = "_ga_DEMO123=GS1.1." + now + ".1.0" + dom + "; path=/; max-age=" + twoYears + "; SameSite=Lax";
  document.cookie = "_gid=GA1.1." + Math.floor(Math.random() * 1e9) + dom + "; path=/; max-age=" + day + "; SameSite=Lax";
  window.dataLayer = window.dataLayer || [];
  window.gtag = function () { window.dataLayer.push(arguments); };
  window.lccDemoTag && window.lccDemoTag("ga", "Google Analytics (stand-in gtag.js)");
})();
