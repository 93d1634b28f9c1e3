// Which theme a widget shows: the author's `theme` attribute, else the host page's own choice
// (the markers docs generators set on <html> or <body>: Docusaurus `data-theme`, VitePress and
// Tailwind sites the `dark` class), else the reader's system setting.

const dark = matchMedia("(prefers-color-scheme: dark)");

function marked(element) {
  if (!element) return null;
  const theme = element.getAttribute("data-theme") ?? element.getAttribute("data-color-mode");
  if (theme === "dark" || theme === "light") return theme;
  if (element.classList.contains("dark") || element.classList.contains("theme-dark")) return "dark";
  if (element.classList.contains("light") || element.classList.contains("theme-light")) return "light";
  return null;
}

export function themeOf(requested) {
  if (requested === "light" || requested === "dark") return requested;
  return marked(document.documentElement) ?? marked(document.body) ?? (dark.matches ? "dark" : "light");
}

// Calls `changed` whenever the host's theme may have changed.
export function watchTheme(changed) {
  dark.addEventListener("change", changed);
  const observer = new MutationObserver(changed);
  const options = { attributes: true, attributeFilter: ["class", "data-theme", "data-color-mode"] };
  observer.observe(document.documentElement, options);
  if (document.body) observer.observe(document.body, options);
}
