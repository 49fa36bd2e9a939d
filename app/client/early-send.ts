// A message sent before the chat is ready is never lost. Until the page has hydrated, Enter in
// the message box (or a press of Send) cannot reach React, so this script — inlined into <head>
// and run before any of the page's modules — holds the message and the composer sends it as soon
// as the chat is ready. Once the composer has mounted, the script steps aside.

/** Where the script leaves the held message for the composer. */
export interface EarlySendWindow {
  __cgEarlySend?: string;
  /** Set by the composer on mount: from then on React handles the box itself. */
  __cgComposerReady?: boolean;
}

/** Touch keyboards have no Shift+Enter: there Enter adds a line and only the button sends. */
export const TOUCH_QUERY = "(pointer: coarse)";

/** Inlined into <head>; the composer's id is "composer" (see components/chat/composer-focus.ts). */
export const earlySendScript = `(function(){var w=window;function hold(e){if(w.__cgComposerReady)return;var box=document.getElementById("composer");if(!box)return;if(e.type==="keydown"){if(e.target!==box||e.key!=="Enter"||e.shiftKey||e.isComposing)return;if(matchMedia("${TOUCH_QUERY}").matches&&!(e.ctrlKey||e.metaKey))return}else if(e.target!==box.form)return;e.preventDefault();if(box.value.trim()){w.__cgEarlySend=box.value;box.form.setAttribute("data-held","")}}document.addEventListener("keydown",hold,true);document.addEventListener("submit",hold,true)})()`;

/** The message held before hydration, taken once. */
export function takeEarlyMessage(): string | null {
  const scope = window as EarlySendWindow;
  const held = scope.__cgEarlySend ?? null;
  delete scope.__cgEarlySend;
  return held;
}

export function markComposerReady(): void {
  (window as EarlySendWindow).__cgComposerReady = true;
}
