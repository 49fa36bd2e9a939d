// What every loader, action and API handler gets for the current request.
import { createContext, type RouterContextProvider } from "react-router";
import type { Config } from "./config";
import type { StageTimer } from "./http/server-timing";

export interface RequestScope {
  env: Env;
  ctx: ExecutionContext;
  config: Config;
  requestId: string;
  /** Present with SERVER_TIMING=1: stages marked here become the answer's Server-Timing header. */
  timing?: StageTimer;
}

export const requestScope = createContext<RequestScope>();

export function scopeOf(context: Readonly<RouterContextProvider>): RequestScope {
  return context.get(requestScope);
}
