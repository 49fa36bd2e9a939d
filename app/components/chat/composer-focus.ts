// Where focus goes after an action removes the control that had it (Regenerate, Delete, an
// edit cancelled): back to the message box, the one place a chat always has.
export const COMPOSER_ID = "composer";

export function focusComposer(): void {
  // After React has committed the change that removed the old control.
  requestAnimationFrame(() => document.getElementById(COMPOSER_ID)?.focus());
}
