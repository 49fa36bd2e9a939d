// Runs in Node before the workerd tests: a throw-away signing key, an admin key, and the local
// OpenAI-compatible upstream the gateway talks to.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startUpstream } from "../fixtures/upstream";

export default async function setup({ provide }: TestProject) {
  const apiKey = `test_${randomBytes(8).toString("hex")}`;
  const upstream = await startUpstream({ apiKey, turnstileSecret: "turnstile-test-secret", quiet: true });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  provide("privateKeyPem", privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  provide("adminApiKey", `adm_${randomBytes(12).toString("hex")}`);
  provide("upstreamApiKey", apiKey);
  provide("upstreamUrl", upstream.url);
  return () => upstream.close();
}
