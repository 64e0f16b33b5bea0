// `bora <group> <command> [options]`: everything an admin does in the console, scriptable.
// Every command takes --json for machine output; bad input exits non-zero with a clear message.
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { isBoraError } from "@/lib/errors";
import { connect, type ManageClient } from "./client";
import { UsageError, type Command } from "./command";
import { peopleCommands } from "./commands/people";
import { datasetCommands } from "./commands/datasets";
import { limitCommands } from "./commands/limits";
import { platformCommands } from "./commands/platform";

const commands: Record<string, Command> = { ...peopleCommands, ...platformCommands, ...limitCommands, ...datasetCommands };

function help(): string {
  const lines = ["Usage: bora <command> [options] [--json]", "", "Commands:"];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(18)} ${c.summary}`, `  ${"".padEnd(18)}   ${c.usage}`.trimEnd());
  lines.push("", "Reaches a running server through the data dir (BORA_DATA_DIR) or BORA_URL + BORA_ADMIN_TOKEN;", "opens the database itself only when no server holds it.");
  return lines.join("\n");
}

const stringFlags = ["email", "name", "password", "slug", "workspace", "role", "expires-hours", "models", "expires", "key", "kind", "base-url", "api-key", "region", "alias", "provider", "upstream", "input-price", "output-price", "context", "capabilities", "candidates", "priority", "limit", "rpm", "tpm", "monthly-tokens", "grace-minutes", "model-limits", "file", "concurrency", "model", "monthly-spend", "cap", "thresholds", "webhook", "set", "tokens", "action", "actor", "from", "to", "cursor", "scopes"];

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        admin: { type: "boolean" },
        ...Object.fromEntries(stringFlags.map((n) => [n, { type: "string" as const }])),
      },
    });
  } catch (err) {
    process.stderr.write(`bora: ${(err as Error).message}\n\n${help()}\n`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  const name = positionals.length >= 2 && commands[`${positionals[0]} ${positionals[1]}`] ? `${positionals[0]} ${positionals[1]}` : positionals[0] ?? "";
  const command = commands[name];
  if (flags.help || !command) {
    const out = help();
    if (!command && name) {
      process.stderr.write(`bora: unknown command "${positionals.join(" ")}"\n\n${out}\n`);
      return 2;
    }
    process.stdout.write(out + "\n");
    return 0;
  }
  let client: ManageClient | undefined;
  try {
    if (!command.local) client = await connect(process.env, (line) => process.stderr.write(line + "\n"));
    const result = await command.run(client as ManageClient, flags);
    if (flags.json) process.stdout.write(JSON.stringify(result.data, null, 2) + "\n");
    else result.text();
    return result.exitCode ?? 0;
  } catch (err) {
    return reportError(err, Boolean(flags.json));
  } finally {
    await client?.close();
  }
}

function reportError(err: unknown, json: boolean): number {
  let message: string;
  let code = "error";
  let exit = 1;
  if (err instanceof UsageError) {
    message = err.message;
    code = "usage";
    exit = 2;
  } else if (err instanceof ZodError) {
    const issue = err.issues[0]!;
    message = `${issue.path.join(".") ? `--${issue.path.join(".")}: ` : ""}${issue.message}`;
    code = "unprocessable:validation";
  } else if (isBoraError(err)) {
    // The management API names the field in its message too ("rpm: …"): say it once, as the flag.
    const own = err.param && err.message.startsWith(`${err.param}: `) ? err.message.slice(err.param.length + 2) : err.message;
    message = (err.param ? `--${err.param}: ` : "") + own;
    code = err.code;
  } else {
    message = (err as Error).message ?? String(err);
  }
  if (json) process.stderr.write(JSON.stringify({ error: { message, code } }) + "\n");
  else process.stderr.write(`bora: ${message}\n`);
  return exit;
}
