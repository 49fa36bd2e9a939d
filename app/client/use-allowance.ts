// A guest's remaining allowance, from GET /api/credits (the guest cookie is the identity). It is
// read when the page is ready and again after each answer, since guests' bills carry no balance.
import { useEffect, useState } from "react";

async function readAllowance(): Promise<number | null> {
  try {
    const response = await fetch("/api/credits", { headers: { Accept: "application/json" } });
    if (!response.ok) return null;
    const body: { available?: unknown; balance?: unknown } = await response.json();
    const value = typeof body.available === "number" ? body.available : body.balance;
    return typeof value === "number" ? value : null;
  } catch {
    return null;
  }
}

/** null while unknown, for accounts (they have their balance), or when it cannot be read. */
export function useGuestAllowance(guest: boolean, ready: boolean, streaming: boolean): number | null {
  const [allowance, setAllowance] = useState<number | null>(null);
  useEffect(() => {
    if (!guest || !ready || streaming) return;
    let current = true;
    void readAllowance().then((value) => current && setAllowance(value));
    return () => {
      current = false;
    };
  }, [guest, ready, streaming]);
  return guest ? allowance : null;
}
