// The demo page's own script (a docs site's theme switch): the widgets follow the page's
// `data-theme`, as they follow Docusaurus's.
document.getElementById("theme-toggle").addEventListener("click", () => {
  const html = document.documentElement;
  html.dataset.theme = html.dataset.theme === "dark" ? "light" : "dark";
});
