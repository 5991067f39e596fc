// Demo only: a log the stand-in tags write to, so a visitor can watch them run.
// Not part of the consent manager.
(function () {
  var runs = (window.lccDemoRuns = window.lccDemoRuns || []);
  window.lccDemoTag = function (id, label) {
    runs.push(id);
    var log = document.getElementById("tag-log");
    if (log) {
      var li = document.createElement("li");
      li.textContent = label + " ran";
      li.setAttribute("data-tag", id);
      log.appendChild(li);
    }
    if (window.console) console.info("[demo tag] " + label + " ran");
  };
})();
