import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { earlySendScript } from "./client/early-send";
import { themeBootScript } from "./client/theme";
import { useNonce } from "./components/nonce";

/** The icons and the web app manifest live in public/ (drawn by scripts/make-icons.ts). */
export const links: Route.LinksFunction = () => [
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "icon", href: "/icon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    // The theme class is set before hydration by the boot script, so <html> may differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" content="#4f46e5" />
        {/* Browsers hide a script's nonce after parsing, so the attribute differs on hydration. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, no input */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: themeBootScript }} />
        {/* Holds a message sent before hydration so the chat sends it when ready (client/early-send.ts). */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, no input */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: earlySendScript }} />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full font-sans antialiased">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let title = "Something went wrong";
  let details = "An unexpected error occurred. Please try again in a moment.";
  let stack: string | undefined;
  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? "Page not found" : `Error ${error.status}`;
    details = error.status === 404 ? "There is nothing at this address." : error.statusText || details;
  } else if (import.meta.env.DEV && error instanceof Error) {
    details = error.message;
    stack = error.stack;
  }
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">{details}</p>
      <a href="/" className="mt-6 inline-block text-indigo-700 underline dark:text-indigo-300">
        Back to the chat
      </a>
      {stack && (
        <pre className="mt-6 overflow-x-auto rounded bg-zinc-100 p-4 text-xs dark:bg-zinc-900">
          <code>{stack}</code>
        </pre>
      )}
    </main>
  );
}
