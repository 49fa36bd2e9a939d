// The chosen intelligence tier ("" is the service's default), remembered in this browser and
// dropped when the operator no longer offers it.
import { useEffect, useState } from "react";

const TIER_KEY = "cg:tier";

export function useTier(tiers: string[]): [string, (tier: string) => void] {
  const [tier, setTier] = useState("");
  useEffect(() => {
    const stored = localStorage.getItem(TIER_KEY) ?? "";
    setTier(tiers.includes(stored) ? stored : "");
  }, [tiers]);
  const choose = (next: string) => {
    setTier(next);
    if (next) localStorage.setItem(TIER_KEY, next);
    else localStorage.removeItem(TIER_KEY);
  };
  return [tier, choose];
}
