// The per-response CSP nonce, so the few inline scripts we render ourselves (the theme boot
// script) carry it. Only the server render provides a value; in the browser it is undefined.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
