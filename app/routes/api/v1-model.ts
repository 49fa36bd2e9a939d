// GET /v1/models/{id}: one model name (ids with a slash are sent percent-encoded, as the SDKs do).
import { endpoint } from "~/server/http/endpoint";
import { badRequest } from "~/server/http/errors";
import { serveModel } from "~/server/llm/v1/serve";

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest("The model id in the path is not valid percent-encoding.", { param: "model" });
  }
}

export default endpoint<"id">({
  GET: ({ request, url, params, scope }) => serveModel(request, url, scope, decoded(params.id)),
});
