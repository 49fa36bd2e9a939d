// What every loader, action and API handler gets for the current request.
import { createContext, type RouterContextProvider } from "react-router";
import type { Config } from "./config";

export interface RequestScope {
  env: Env;
  ctx: ExecutionContext;
  config: Config;
  requestId: string;
}

export const requestScope = createContext<RequestScope>();

export function scopeOf(context: Readonly<RouterContextProvider>): RequestScope {
  return context.get(requestScope);
}
