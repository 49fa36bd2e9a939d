// Any API path no route claims: 404 in the envelope, whatever the method.

import { endpoint } from "~/server/http/endpoint";
import { notFound } from "~/server/http/errors";

const missing = () => {
  throw notFound("No API endpoint at this path.");
};
const unknown = endpoint({ GET: missing, POST: missing, PUT: missing, PATCH: missing, DELETE: missing });

export const loader = unknown.loader;
export const action = unknown.action;
