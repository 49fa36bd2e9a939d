// After moving to another dashboard page (a tab, a link, signing in), focus goes to the new
// page's heading, so keyboard and screen-reader users start at the top of what changed. The
// page as first loaded is left to the browser.
import { useEffect } from "react";
import { useLocation } from "react-router";

/** Focuses the page's main heading (it carries tabIndex={-1}). */
export function focusPageHeading(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>("main h1")?.focus());
}

export function useHeadingFocusOnNavigation(): void {
  const { key, pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new path is the trigger
  useEffect(() => {
    if (key !== "default") focusPageHeading();
  }, [pathname]);
}
