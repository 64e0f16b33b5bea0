// users, workspaces, members, tokens, whoami.
import { generatePassword } from "@/lib/auth/passwords";
import { listing, need, str, workspaceOf, type Command } from "../command";

export const peopleCommands: Record<string, Command> = {
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
  "users list": { summary: "list users", usage: "", run: listing("users.list", ["email", "name", "isInstanceAdmin", "createdAt"]) },
  "workspaces create": {
    summary: "create a workspace you own",
    usage: "--name N [--slug S]",
    async run(client, flags) {
      const ws = (await client.call("workspaces.create", {}, { name: need(flags, "name"), slug: str(flags, "slug") })) as { slug: string; name: string };
      return { data: ws, text: () => console.log(`Created workspace ${ws.name} (${ws.slug}).`) };
    },
  },
  "workspaces list": { summary: "list workspaces", usage: "", run: listing("workspaces.list", ["slug", "name", "role", "residencyPolicy", "createdAt"]) },
  "members add": {
    summary: "add an existing user to a workspace",
    usage: "--workspace SLUG --email E --role owner|admin|developer|viewer",
    async run(client, flags) {
      const m = (await client.call("members.add", workspaceOf(flags), { email: need(flags, "email"), role: need(flags, "role") })) as { email: string; role: string };
      return { data: m, text: () => console.log(`Added ${m.email} as ${m.role}.`) };
    },
  },
  "members list": { summary: "list a workspace's members", usage: "--workspace SLUG", run: listing("members.list", ["email", "name", "role", "joinedAt"], workspaceOf) },
  "members invite": {
    summary: "create a one-time invitation link",
    usage: "--workspace SLUG --role R [--email E] [--expires-hours H]",
    async run(client, flags) {
      const result = (await client.call("invitations.create", workspaceOf(flags), { role: need(flags, "role"), email: str(flags, "email"), expiresInHours: str(flags, "expires-hours") ?? 24 })) as { token: string };
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
