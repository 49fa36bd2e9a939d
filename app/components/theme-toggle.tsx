// One button that cycles the theme: system → light → dark. Its label always says the current
// choice and what a press does.
import { useEffect, useState } from "react";
import { applyTheme, storedTheme, type ThemeChoice, watchSystemTheme } from "~/client/theme";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const ICON: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };

export function ThemeToggle() {
  // "system" on the server and in the first client render; the real choice after hydration.
  const [choice, setChoice] = useState<ThemeChoice>("system");

  useEffect(() => setChoice(storedTheme()), []);
  useEffect(() => (choice === "system" ? watchSystemTheme(() => applyTheme("system")) : undefined), [choice]);

  const change = () => {
    const next = NEXT[choice];
    applyTheme(next);
    setChoice(next);
  };

  return (
    <button
      type="button"
      className="btn-quiet"
      onClick={change}
      aria-label={`Theme: ${choice}. Switch to ${NEXT[choice]}`}
      title={`Theme: ${choice}`}
      data-theme-choice={choice}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
      <span className="hidden capitalize sm:inline">{choice}</span>
    </button>
  );
}
