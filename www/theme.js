// The page's colour theme: "system" (follow prefers-color-scheme), "light" or "dark", chosen in
// the header and kept in localStorage. A classic script in <head>, so that it runs before the
// first paint and a dark page never flashes light. It sets <html data-theme="light|dark"> (what
// style.css defines every colour for) and data-theme-choice, and follows the system setting, and
// other tabs of the playground, while the choice is "system".
(() => {
  const KEY = "convex-lens-theme";
  const CHOICES = ["system", "light", "dark"];
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const listeners = new Set();

  function stored() {
    try {
      const choice = localStorage.getItem(KEY);
      return CHOICES.includes(choice) ? choice : "system";
    } catch {
      // Storage can be disabled; the system setting still applies.
      return "system";
    }
  }

  let choice = stored();

  function apply() {
    const theme = choice === "system" ? (dark.matches ? "dark" : "light") : choice;
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.themeChoice = choice;
    for (const listener of listeners) listener(choice, theme);
  }

  dark.addEventListener("change", apply);
  addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) {
      choice = stored();
      apply();
    }
  });
  apply();

  globalThis.ConvexLensTheme = {
    /** "system", "light" or "dark". */
    choice: () => choice,
    /** The theme shown: "light" or "dark". */
    theme: () => document.documentElement.dataset.theme,
    choose(next) {
      if (!CHOICES.includes(next)) return;
      choice = next;
      try {
        if (next === "system") localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, next);
      } catch {
        // Not kept across visits, but applied now.
      }
      apply();
    },
    /** Calls `listener(choice, theme)` after every change (another tab, the system setting). */
    subscribe(listener) {
      listeners.add(listener);
    },
  };
})();
