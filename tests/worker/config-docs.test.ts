import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { withConfigTable, withVars } from "../../scripts/lib/config-docs.ts";
import wranglerToml from "../../wrangler.toml?raw";

// The defaults are written once, in app/server/config-vars.ts; `npm run config:docs` writes
// them into these two files. A difference below means someone edited a copy, not the list.
describe("configuration defaults", () => {
  it("are the ones README.md's configuration table shows", () => {
    expect(readme).toBe(withConfigTable(readme));
  });

  it("are the ones wrangler.toml's [vars] holds", () => {
    expect(wranglerToml).toBe(withVars(wranglerToml));
  });

  it("leave wrangler.toml its own KID, which key rotation changes", () => {
    const rotated = wranglerToml.replace(/^KID = .*$/m, 'KID = "k7"');
    expect(withVars(rotated)).toMatch(/^KID = "k7"$/m);
    const edited = wranglerToml.replace(/^CREDIT_PER_1K = .*$/m, 'CREDIT_PER_1K = "9"');
    expect(withVars(edited)).toBe(wranglerToml);
  });

  it("leave the tables after [vars] as they are", () => {
    const staging = '[env.staging.vars]\nKID = "s1"\nCREDIT_PER_1K = "9"\n';
    const withStaging = wranglerToml.replace("[vars]", `${staging}\n[vars]`);
    expect(withVars(withStaging)).toBe(withStaging);
    const after = `${wranglerToml}\n${staging}`;
    expect(withVars(after.replace(/^CREDIT_PER_1K = "0.05"$/m, 'CREDIT_PER_1K = "7"'))).toBe(after);
  });
});
