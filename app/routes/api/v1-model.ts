// GET /v1/models/{id}: one model name. Ids with a slash come percent-encoded (as the SDKs send
// them) or, for `provider/model`, as two path segments.
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

export const pinnedModel = endpoint<"provider" | "model">({
  GET: ({ request, url, params, scope }) =>
    serveModel(request, url, scope, `${decoded(params.provider)}/${decoded(params.model)}`),
});
