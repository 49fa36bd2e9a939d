import { describe, expect, it } from "vitest";
import type { Caller, ReserveResult } from "../billing/types";
import { COVER, holdTicket, MAX_HEAD_STARTS } from "./head-start";

let n = 0;
const guest = (): Caller => ({ via: "account", ref: { account: `guest:head-start-${++n}xxxxxx`, kind: "guest" } });
const held = (available: number): ReserveResult => ({
  status: "held",
  heldMicro: 100,
  balance: available + 100,
  available,
  account: { account: "x", kind: "guest" },
  keyId: null,
});
/** Teaches the isolate that `caller` has `available` left, through one answered hold. */
function learn(caller: Caller, available: number) {
  holdTicket(caller, 100, true).answered(held(available));
}

describe("a head start (calling the provider while the hold is taken)", () => {
  it("never happens before this isolate has seen a hold answer for the account", () => {
    expect(holdTicket(guest(), 100, true).ahead).toBe(false);
  });

  it("happens once a previous hold answer left the ask's worst case covered twice over", () => {
    const caller = guest();
    learn(caller, COVER * 100);
    expect(holdTicket(caller, 100, true).ahead).toBe(true);
    const poorer = guest();
    learn(poorer, COVER * 100 - 1);
    expect(holdTicket(poorer, 100, true).ahead).toBe(false);
  });

  it("counts the worst case of every ask sent since against what is known", () => {
    const caller = guest();
    learn(caller, 3 * COVER * 100);
    const first = holdTicket(caller, 200, true);
    const second = holdTicket(caller, 200, true);
    const third = holdTicket(caller, 200, true);
    expect([first.ahead, second.ahead, third.ahead]).toEqual([true, true, false]);
  });

  it("stops after a refusal, until a hold succeeds again", () => {
    const caller = guest();
    learn(caller, 10_000);
    holdTicket(caller, 100, true).answered({ status: "insufficient", balance: 0, available: 0, neededMicro: 5 });
    expect(holdTicket(caller, 100, true).ahead).toBe(false);
    const failed = guest();
    learn(failed, 10_000);
    holdTicket(failed, 100, true).answered(null); // the call itself failed
    expect(holdTicket(failed, 100, true).ahead).toBe(false);
  });

  it("runs at most MAX_HEAD_STARTS asks of one account ahead at once", () => {
    const caller = guest();
    learn(caller, 1e12);
    const tickets = Array.from({ length: MAX_HEAD_STARTS + 1 }, () => holdTicket(caller, 1, true));
    expect(tickets.filter((ticket) => ticket.ahead)).toHaveLength(MAX_HEAD_STARTS);
    tickets[0]?.answered(held(1e12));
    expect(holdTicket(caller, 1, true).ahead).toBe(true);
  });

  it("is never taken for a key, a token made from a key, or an ask that is not eligible", () => {
    const key: Caller = { via: "key", route: "r", keyId: "key_x", hash: "h" };
    learn(key, 1e12);
    expect(holdTicket(key, 1, true).ahead).toBe(false);
    const session: Caller = { via: "account", ref: { account: "a@example.com", kind: "email" }, tokenKeyId: "key_y" };
    learn(session, 1e12);
    expect(holdTicket(session, 1, true).ahead).toBe(false);
    const caller = guest();
    learn(caller, 1e12);
    expect(holdTicket(caller, 1, false).ahead).toBe(false);
  });
});
