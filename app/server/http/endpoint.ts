// Turns a table of method handlers into a resource route's loader and action, so every API
// route answers wrong methods with 405 + Allow and every failure with the envelope.
import type { ActionFunctionArgs, LoaderFunctionArgs, Params } from "react-router";
import { type RequestScope, scopeOf } from "../context";
import { errorResponse, methodNotAllowed } from "./errors";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface EndpointArgs {
  request: Request;
  url: URL;
  params: Params;
  scope: RequestScope;
}

export type Handler = (args: EndpointArgs) => Response | Promise<Response>;

export function endpoint(handlers: Partial<Record<Method, Handler>>) {
  const methods = Object.keys(handlers);
  const allowed = [...methods, ...(handlers.GET ? ["HEAD"] : []), "OPTIONS"];
  const serve = async ({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs) => {
    const scope = scopeOf(context);
    const method = (request.method === "HEAD" ? "GET" : request.method) as Method;
    try {
      const handler = handlers[method];
      if (!handler) throw methodNotAllowed(request.method, allowed);
      return await handler({ request, url: new URL(request.url), params, scope });
    } catch (thrown) {
      return errorResponse(thrown, scope.requestId);
    }
  };
  return { loader: serve, action: serve };
}
