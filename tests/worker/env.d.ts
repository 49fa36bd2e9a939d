declare namespace Cloudflare {
  interface Env {
    /** Test-only: where the local upstream listens (its log and switches). */
    UPSTREAM_URL: string;
    /** Test-only: the local webhook receiver (tests/fixtures/webhook-receiver.ts). */
    HOOKS_URL: string;
    PRIVATE_KEY_PEM: string;
    ADMIN_API_KEY: string;
    OPENAI_API_KEY: string;
  }
}
