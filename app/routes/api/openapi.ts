// GET /openapi.json: the API described (OpenAPI 3.1), from the route table and its schemas.
import { API_ROUTES } from "~/api-routes";
import { endpoint } from "~/server/http/endpoint";
import { cachedDocument } from "~/server/openapi/document";

// API_ROUTES is read when a request comes, after app/api-routes.ts (which imports this) is done.
export default endpoint({ GET: () => Response.json(cachedDocument(API_ROUTES.routes)) });
