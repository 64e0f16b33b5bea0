// `bora <group> <command> [options]`: everything an admin does in the console, scriptable.
// Every command takes --json for machine output; bad input exits non-zero with a clear message.
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { generatePassword } from "@/lib/auth/passwords";
import { isBoraError } from "@/lib/errors";
import type { OperationName } from "@/lib/manage/operations";
import { connect, type ManageClient } from "./client";
import { printTable } from "./table";

type Flags = Record<string, string | boolean | undefined>;
type Command = {
  summary: string;
  usage: string;
  run: (client: ManageClient, flags: Flags) => Promise<{ data: unknown; text: () => void }>;
};

const str = (flags: Flags, name: string) => (typeof flags[name] === "string" ? (flags[name] as string) : undefined);

function need(flags: Flags, name: string): string {
  const value = str(flags, name);
  if (!value) throw new UsageError(`--${name} is required.`);
  return value;
}

class UsageError extends Error {}

const list = (op: OperationName, columns: string[], params?: (f: Flags) => Record<string, string>): Command["run"] => async (client, flags) => {
  const data = (await client.call(op, params?.(flags))) as Record<string, unknown>[];
  return { data, text: () => printTable(data, columns) };
};

const commands: Record<string, Command> = {
  "users create": {
    summary: "create a user (prints a generated password once when --password is omitted)",
    usage: "--email E [--name N] [--password P] [--admin]",
    async run(client, flags) {
      const generated = str(flags, "password") ? undefined : generatePassword();
      const user = (await client.call("users.create", {}, { email: need(flags, "email"), name: str(flags, "name") ?? "", password: str(flags, "password") ?? generated, instanceAdmin: flags.admin === true })) as { email: string };
      const data = generated ? { ...user, password: generated } : user;
      return { data, text: () => console.log(`Created ${user.email}.${generated ? `\nPassword (shown once): ${generated}` : ""}`) };
    },
  },
  "users list": { summary: "list users", usage: "", run: list("users.list", ["email", "name", "isInstanceAdmin", "createdAt"]) },
  "workspaces create": {
    summary: "create a workspace you own",
    usage: "--name N [--slug S]",
    async run(client, flags) {
      const ws = (await client.call("workspaces.create", {}, { name: need(flags, "name"), slug: str(flags, "slug") })) as { slug: string; name: string };
      return { data: ws, text: () => console.log(`Created workspace ${ws.name} (${ws.slug}).`) };
    },
  },
  "workspaces list": { summary: "list workspaces", usage: "", run: list("workspaces.list", ["slug", "name", "role", "residencyPolicy", "createdAt"]) },
  "members add": {
    summary: "add an existing user to a workspace",
    usage: "--workspace SLUG --email E --role owner|admin|developer|viewer",
    async run(client, flags) {
      const m = (await client.call("members.add", { workspace: need(flags, "workspace") }, { email: need(flags, "email"), role: need(flags, "role") })) as { email: string; role: string };
      return { data: m, text: () => console.log(`Added ${m.email} as ${m.role}.`) };
    },
  },
  "members list": {
    summary: "list a workspace's members",
    usage: "--workspace SLUG",
    run: list("members.list", ["email", "name", "role", "joinedAt"], (f) => ({ workspace: need(f, "workspace") })),
  },
  "members invite": {
    summary: "create a one-time invitation link",
    usage: "--workspace SLUG --role R [--email E] [--expires-hours H]",
    async run(client, flags) {
      const result = (await client.call("invitations.create", { workspace: need(flags, "workspace") }, { role: need(flags, "role"), email: str(flags, "email"), expiresInHours: str(flags, "expires-hours") ?? 24 })) as { token: string };
      const base = (process.env.BORA_PUBLIC_URL ?? process.env.BORA_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
      const link = `${base}/invite/${result.token}`;
      return { data: { ...result, link }, text: () => console.log(`Invitation link (shown once): ${link}`) };
    },
  },
  "tokens create": {
    summary: "create a management API token for BORA_ADMIN_TOKEN (shown once)",
    usage: "--name N",
    async run(client, flags) {
      const t = (await client.call("tokens.create", {}, { name: need(flags, "name") })) as { token: string };
      return { data: t, text: () => console.log(`Token (shown once): ${t.token}`) };
    },
  },
  whoami: {
    summary: "show who the CLI acts as, and how it reaches Bora",
    usage: "",
    async run(client) {
      const me = (await client.call("whoami")) as { email: string };
      return { data: { ...me, via: client.mode }, text: () => console.log(`${me.email} (${client.mode})`) };
    },
  },
};

function help(): string {
  const lines = ["Usage: bora <command> [options] [--json]", "", "Commands:"];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${(name + " " + c.usage).padEnd(76)} ${c.summary}`);
  lines.push("", "Reaches a running server through the data dir (BORA_DATA_DIR) or BORA_URL + BORA_ADMIN_TOKEN;", "opens the database itself only when no server holds it.");
  return lines.join("\n");
}

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
        ...Object.fromEntries(["email", "name", "password", "slug", "workspace", "role", "expires-hours"].map((n) => [n, { type: "string" as const }])),
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
    client = await connect(process.env, (line) => process.stderr.write(line + "\n"));
    const result = await command.run(client, flags);
    if (flags.json) process.stdout.write(JSON.stringify(result.data, null, 2) + "\n");
    else result.text();
    return 0;
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
    message = (err.param ? `--${err.param}: ` : "") + err.message;
    code = err.code;
  } else {
    message = (err as Error).message ?? String(err);
  }
  if (json) process.stderr.write(JSON.stringify({ error: { message, code } }) + "\n");
  else process.stderr.write(`bora: ${message}\n`);
  return exit;
}
