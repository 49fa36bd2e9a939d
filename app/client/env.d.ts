// Build-time settings the browser code may read.
interface ImportMetaEnv {
  /** Cloudflare Turnstile site key; when set, guests pass the check before a token is issued. */
  readonly VITE_TURNSTILE_SITE_KEY?: string;
}
