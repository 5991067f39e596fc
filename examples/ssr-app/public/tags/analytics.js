// A local stand-in for a third-party analytics tag (there is no internet in tests):
// it sets its cookie and says it ran, as a real tag would.
document.cookie = "_sa_id=" + Math.random().toString(36).slice(2) + "; path=/; max-age=31536000; SameSite=Lax";
window.__shopAnalytics = (window.__shopAnalytics || 0) + 1;
window.__shopAnalyticsAt = performance.now();
