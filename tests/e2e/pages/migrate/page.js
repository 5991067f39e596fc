// The site's own script, the same on both pages: it records what ran and what
// the consent manager told it, as a site built on vanilla-cookieconsent v3 would.
window.runs = window.runs || [];
window.events = [];
for (const name of ["onFirstConsent", "onConsent", "onChange", "onModalShow", "onModalHide"]) {
  window.addEventListener("cc:" + name, (e) => {
    const d = e.detail || {};
    window.events.push({
      event: name,
      categories: d.cookie && d.cookie.categories,
      changedCategories: d.changedCategories,
      changedServices: d.changedServices,
      modalName: d.modalName,
    });
  });
}
