// Cloudflare Turnstile before a guest session, used only when VITE_TURNSTILE_SITE_KEY is set:
// the widget's token goes to POST /auth/guest as `turnstile_token`.
import { useEffect, useRef, useState } from "react";
import { problemFrom } from "~/client/api";

interface Turnstile {
  render(element: HTMLElement, options: { sitekey: string; callback(token: string): void }): string;
}

const SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

function loadTurnstile(): Promise<Turnstile> {
  const existing = (window as { turnstile?: Turnstile }).turnstile;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = SCRIPT;
    script.async = true;
    script.onload = () => {
      const loaded = (window as { turnstile?: Turnstile }).turnstile;
      if (loaded) resolve(loaded);
      else reject(new Error("Turnstile did not load"));
    };
    script.onerror = () => reject(new Error("Turnstile could not be loaded"));
    document.head.appendChild(script);
  });
}

export default function GuestCheck({ siteKey, onPassed }: { siteKey: string; onPassed(): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  // The widget is rendered once per site key, whatever the parent passes on re-render.
  const passedRef = useRef(onPassed);
  passedRef.current = onPassed;

  useEffect(() => {
    let live = true;
    const passed = async (token: string) => {
      const response = await fetch("/auth/guest", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ turnstile_token: token }),
      });
      if (response.ok) passedRef.current();
      else if (live) setError((await problemFrom(response)).message);
    };
    loadTurnstile()
      .then((turnstile) => box.current && turnstile.render(box.current, { sitekey: siteKey, callback: passed }))
      .catch((failure: Error) => live && setError(failure.message));
    return () => {
      live = false;
    };
  }, [siteKey]);

  return (
    <section aria-label="Quick check before chatting" className="flex flex-col items-center gap-2 p-4">
      <div ref={box} />
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error} Reload the page to try again.
        </p>
      )}
    </section>
  );
}
