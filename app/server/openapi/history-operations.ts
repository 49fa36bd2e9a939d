// /openapi.json's entries for a signed-in account's conversation history (see operations.ts).
import { conversationSchema, listSchema, renameSchema } from "../history/service";
import type { Operations } from "./operations";

export const HISTORY_OPERATIONS: Operations = {
  "/api/conversations": {
    GET: {
      summary: "The account's conversations, newest first; `q` searches titles and text (guests 403)",
      tag: "history",
      auth: "identity",
      query: listSchema,
      success: { status: 200, description: "The conversations' ids, titles and times" },
    },
  },
  "/api/conversations/:id": {
    GET: {
      summary: "One of the account's conversations, with its turns",
      tag: "history",
      auth: "identity",
      success: { status: 200, description: "The conversation" },
    },
    PUT: {
      summary: "Create or replace one of the account's conversations",
      tag: "history",
      auth: "identity",
      body: conversationSchema,
      success: { status: 200, description: "The conversation's id, title and time" },
    },
    PATCH: {
      summary: "Rename one of the account's conversations",
      tag: "history",
      auth: "identity",
      body: renameSchema,
      success: { status: 200, description: "The conversation's id, new title and time" },
    },
    DELETE: {
      summary: "Delete one of the account's conversations",
      tag: "history",
      auth: "identity",
      success: { status: 200, description: "The deleted conversation's id" },
    },
  },
};
