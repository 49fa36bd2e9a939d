// Light, dark or the system's choice: remembered in localStorage and applied as the `dark`
// class on <html>. The boot script runs in <head> before first paint, so there is no flash.
export type ThemeChoice = "system" | "light" | "dark";

export const THEME_KEY = "cg:theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

/** Inlined into <head>; must agree with `applyTheme`. */
export const themeBootScript = `try{var t=localStorage.getItem("${THEME_KEY}");document.documentElement.classList.toggle("dark",t==="dark"||(t!=="light"&&matchMedia("${DARK_QUERY}").matches))}catch(e){}`;

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export function systemPrefersDark(): boolean {
  return matchMedia(DARK_QUERY).matches;
}

export function applyTheme(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  const dark = choice === "dark" || (choice === "system" && systemPrefersDark());
  document.documentElement.classList.toggle("dark", dark);
}

/** Calls `onChange` when the system theme flips; returns the unsubscribe function. */
export function watchSystemTheme(onChange: () => void): () => void {
  const query = matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
