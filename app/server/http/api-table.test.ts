import { describe, expect, it } from "vitest";
import { apiTable, pathSegments, route } from "./api-table";
import { endpoint } from "./endpoint";

const ok = endpoint({ GET: () => Response.json({ ok: true }) });
const byId = endpoint<"id">({ GET: ({ params }) => Response.json({ id: params.id }) });

const table = apiTable([
  route(["/ready", "/healthz"], ok, { alwaysOn: true }),
  route(["/api/credits", "/credits"], ok),
  route("/api/jobs/run", ok),
  route("/api/jobs/:id", byId),
  route("/.well-known/jwks.json", ok),
]);

const routeOf = (path: string) => table.match(path)?.route ?? null;

describe("the API route table", () => {
  it("serves every alias of an entry with the same route", () => {
    expect(routeOf("/credits")).toBe(routeOf("/api/credits"));
    expect(routeOf("/healthz")?.alwaysOn).toBe(true);
  });

  it.each(["/api/credits", "/API/Credits", "/%61pi/credits", "//api//credits", "/api/credits/", "/api/credits//"])(
    "matches %s as /api/credits",
    (path) => {
      expect(routeOf(path)).toBe(routeOf("/api/credits"));
    },
  );

  it("prefers a fixed path to a parameter, and passes parameters decoded, case kept", () => {
    expect(table.match("/api/jobs/run")?.route).toBe(routeOf("/api/jobs/run"));
    expect(table.match("/api/jobs/Job_%41bc")).toMatchObject({ params: { id: "Job_Abc" } });
  });

  it("answers paths inside an API namespace that no route serves with the namespace's 404", () => {
    for (const path of ["/api", "/api/nothing", "/API/v1/x", "/.well-known/other", "/api/jobs/a/b"]) {
      expect(table.match(path)).toMatchObject({ route: null });
    }
  });

  it("leaves every other path to the web app", () => {
    for (const path of ["/", "/admin", "/credits/more", "/apix/credits", "/ready/x", "/%2Fapi/credits"]) {
      expect(table.match(path)).toBeNull();
    }
  });

  it("keeps a malformed escape or an encoded slash as sent, so it matches nothing", () => {
    expect(pathSegments("/api/%E0%A4%A/x")).toEqual(["api", "%E0%A4%A", "x"]);
    expect(table.match("/api/%E0%A4%A")).toMatchObject({ route: null });
    expect(table.match("/api%2Fcredits")).toBeNull();
  });

  it("reads a path of 20,000 slashes in a few milliseconds", () => {
    const started = performance.now();
    expect(table.match(`/api${"/".repeat(20_000)}credits`)?.route).toBe(routeOf("/api/credits"));
    expect(table.match("/".repeat(20_000))).toBeNull();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("refuses two entries claiming one path", () => {
    expect(() => apiTable([route("/api/x", ok), route("/API/X/", ok)])).toThrow(/two API routes claim/);
  });

  it("checks at compile time that every path supplies the parameters its endpoint reads", () => {
    // @ts-expect-error: /api/jobs has no :id for this endpoint's params.id
    route("/api/jobs", byId);
    // @ts-expect-error: one alias lacks :id
    route(["/api/jobs/:id", "/jobs"], byId);
    expect(route(["/api/jobs/:id", "/jobs/:id"], byId).paths).toHaveLength(2);
  });
});
