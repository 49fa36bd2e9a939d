// README.md's configuration table and wrangler.toml's [vars], written from the one list of
// variables (app/server/config-vars.ts). Pure text functions: scripts/config-docs.ts writes the
// files with them, and tests/worker/config-docs.test.ts fails (with a diff) when they differ.
import { VARIABLES } from "../../app/server/config-vars.ts";

export const TABLE_BEGIN = "<!-- config:begin — generated from app/server/config-vars.ts by `npm run config:docs` -->";
export const TABLE_END = "<!-- config:end -->";

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The table of every variable and secret: name, kind, default, meaning. */
export function configTable(): string {
  const rows = Object.entries(VARIABLES).map(([name, variable]) => [
    `\`${name}\``,
    variable.kind,
    variable.kind === "secret" ? "—" : variable.fallback === "" ? "(empty)" : `\`${variable.fallback}\``,
    cell(variable.description),
  ]);
  const header = ["name", "kind", "default", "meaning"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** `readme` with the text between the table markers replaced by the current table. */
export function withConfigTable(readme: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md needs the markers ${TABLE_BEGIN} and ${TABLE_END}`);
  return `${readme.slice(0, begin)}${TABLE_BEGIN}\n\n${configTable()}\n\n${readme.slice(end)}`;
}

/** `toml` with its top-level [vars] table written from the defaults (other tables untouched). */
export function withVars(toml: string): string {
  const start = toml.search(/^\[vars\]\s*$/m);
  if (start < 0) throw new Error("wrangler.toml has no [vars] table");
  const after = toml.slice(start + "[vars]".length);
  const next = after.search(/^\[/m);
  const end = next < 0 ? toml.length : start + "[vars]".length + next;
  const current = toml.slice(start, end);
  const lines = ["[vars]"];
  for (const [name, variable] of Object.entries(VARIABLES)) {
    if (variable.kind === "secret") continue;
    const deployed = current.match(new RegExp(`^${name}\\s*=\\s*("(?:[^"\\\\]|\\\\.)*")\\s*$`, "m"))?.[1];
    const value = "perDeployment" in variable && deployed ? deployed : JSON.stringify(variable.fallback);
    lines.push(`${name} = ${value}`);
  }
  const rest = toml.slice(end);
  return `${toml.slice(0, start)}${lines.join("\n")}\n${rest ? `\n${rest.trimStart()}` : ""}`;
}
