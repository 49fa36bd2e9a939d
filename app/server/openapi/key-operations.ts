// /openapi.json's entries for API keys and the tokens made from them (see operations.ts).
import { adminKeyListSchema, adminNewKeySchema, newKeySchema } from "../keys/manage";
import type { Operations } from "./operations";

export const KEY_OPERATIONS: Operations = {
  "/auth/token": {
    POST: {
      summary: "Trade an API key for a short-lived account token",
      tag: "auth",
      auth: "key",
      success: { status: 200, description: "The token, its expiry, email and key id" },
    },
  },
  "/api/keys": {
    GET: {
      summary: "The account's own API keys",
      tag: "keys",
      auth: "identity",
      success: { status: 200, description: "The keys (never a secret)" },
    },
    POST: {
      summary: "Make an API key for the account (its secret is shown once)",
      tag: "keys",
      auth: "identity",
      body: newKeySchema,
      success: { status: 201, description: "The new key, with its secret" },
    },
  },
  "/api/keys/:id": {
    DELETE: {
      summary: "Revoke one of the account's keys",
      tag: "keys",
      auth: "identity",
      success: { status: 200, description: "The revoked key" },
    },
  },
  "/api/admin/keys": {
    GET: {
      summary: "An account's API keys",
      tag: "admin",
      auth: "admin",
      query: adminKeyListSchema,
      success: { status: 200, description: "The keys (never a secret)" },
    },
    POST: {
      summary: "Make an API key for an account",
      tag: "admin",
      auth: "admin",
      body: adminNewKeySchema,
      success: { status: 201, description: "The new key, with its secret" },
    },
  },
  "/api/admin/keys/:id": {
    DELETE: {
      summary: "Revoke any account's key",
      tag: "admin",
      auth: "admin",
      success: { status: 200, description: "The revoked key" },
    },
  },
};
