// An API route's handlers, one per method. Wrong methods are 405 with Allow; HEAD is answered by
// GET. `Param` names the path parameters the handlers read: the route table checks that every
// path it serves the endpoint at supplies them, so `params.id` is a string, never undefined.
import type { RequestScope } from "../context";
import { methodNotAllowed } from "./errors";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface EndpointArgs<Param extends string = never> {
  request: Request;
  url: URL;
  params: Readonly<Record<Param, string>>;
  scope: RequestScope;
}

export type Handler<Param extends string = never> = (args: EndpointArgs<Param>) => Response | Promise<Response>;

export interface Endpoint<Param extends string = never> {
  /** The methods answered, as the Allow header lists them. */
  readonly allow: string;
  /** Runs the handler for the request's method; failures are thrown for the pipeline to shape. */
  readonly serve: (args: EndpointArgs<Param>) => Promise<Response>;
}

export function endpoint<Param extends string = never>(
  handlers: Partial<Record<Method, Handler<Param>>>,
): Endpoint<Param> {
  const methods = Object.keys(handlers);
  const allowed = [...methods, ...(handlers.GET ? ["HEAD"] : []), "OPTIONS"];
  return {
    allow: allowed.join(", "),
    async serve(args) {
      const method = args.request.method === "HEAD" ? "GET" : args.request.method;
      const handler = handlers[method as Method];
      if (!handler) throw methodNotAllowed(args.request.method, allowed);
      return handler(args);
    },
  };
}
