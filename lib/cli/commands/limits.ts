// workspace limits and budget, the limit explainer, and the audit log.
import { need, num, str, workspaceOf, type Command } from "../command";
import { printTable } from "../table";
import { modelLimits } from "./platform";

type Budget = { limits: { model: string; rpm: number | null; tpm: number | null }[]; monthlySpendCapUsd: number | null; thresholds: number[]; webhookUrl: string | null; webhookSecret: string | null; month: string; spentUsd: number };

function printBudget(b: Budget) {
  console.log(`Spent in ${b.month}: $${b.spentUsd.toFixed(4)}${b.monthlySpendCapUsd ? ` of $${b.monthlySpendCapUsd}` : " (no cap)"}`);
  console.log(`Thresholds: ${b.thresholds.map((t) => `${t}%`).join(", ") || "none"}`);
  console.log(`Webhook: ${b.webhookUrl ?? "none"}${b.webhookSecret ? `\nSigning secret: ${b.webhookSecret}` : ""}`);
  if (b.limits.length) printTable(b.limits.map((l) => ({ ...l, model: l.model === "*" ? "* (all models)" : l.model })), ["model", "rpm", "tpm"]);
  else console.log("No workspace limits.");
}

export const limitCommands: Record<string, Command> = {
  "workspaces budget": {
    summary: "show or set a workspace's monthly spend cap, alert thresholds and webhook (0 or \"\" clears)",
    usage: "--workspace SLUG [--cap USD] [--thresholds 80,95] [--webhook URL]",
    async run(client, flags) {
      const setting = ["cap", "thresholds", "webhook"].some((f) => flags[f] !== undefined);
      let b = (await client.call("workspaces.budget.get", workspaceOf(flags))) as Budget;
      if (setting) {
        const cap = num(flags, "cap");
        const thresholds = str(flags, "thresholds");
        b = (await client.call("workspaces.budget.set", workspaceOf(flags), {
          monthlySpendCapUsd: cap === undefined ? b.monthlySpendCapUsd : cap === 0 ? null : cap,
          thresholds: thresholds === undefined ? b.thresholds : thresholds.split(",").filter((t) => t.trim()).map((t) => Number(t.trim().replace(/%$/, ""))),
          webhookUrl: str(flags, "webhook") ?? b.webhookUrl,
        })) as Budget;
      }
      return { data: b, text: () => printBudget(b) };
    },
  },
  "workspaces limits": {
    summary: "show or replace a workspace's per-model limits over all its keys (\"*\" is all models together)",
    usage: "--workspace SLUG [--set 'small:rpm=100:tpm=50000,*:rpm=500' | --set '']",
    async run(client, flags) {
      const set = str(flags, "set");
      const limits =
        set === undefined
          ? ((await client.call("workspaces.budget.get", workspaceOf(flags))) as Budget).limits
          : ((await client.call("workspaces.limits.set", workspaceOf(flags), { limits: modelLimits(flags, "set") ?? [] })) as Budget["limits"]);
      return { data: limits, text: () => (limits.length ? printTable(limits, ["model", "rpm", "tpm"]) : console.log("No workspace limits.")) };
    },
  },
  "keys explain": {
    summary: "which limit would stop a key's next request on a model, and the headroom at each level",
    usage: "--workspace SLUG --key PREFIX --model M [--tokens N]",
    async run(client, flags) {
      const r = (await client.call("keys.explain", { ...workspaceOf(flags), key: need(flags, "key") }, { model: need(flags, "model"), tokens: str(flags, "tokens") })) as {
        state: string;
        levels: { scope: string; what: string; max: number; used: number; remaining: number; resetsAt: string | null; blocks: boolean }[];
      };
      const blocker = r.levels.find((l) => l.blocks);
      return {
        data: r,
        text: () => {
          console.log(r.state !== "ok" ? `Refused: the key is ${r.state.replace(/_/g, " ")}.` : blocker ? `Refused by ${blocker.scope}: ${blocker.what}.` : "The next request would pass.");
          if (r.levels.length) printTable(r.levels.map((l) => ({ ...l, blocks: l.blocks ? "← refuses" : "" })), ["scope", "what", "max", "used", "remaining", "resetsAt", "blocks"]);
        },
      };
    },
  },
  "audit list": {
    summary: "a workspace's audit log, newest first",
    usage: "--workspace SLUG [--action api_key] [--actor EMAIL] [--from 2026-11-01] [--to DATE] [--limit N] [--cursor ID]",
    async run(client, flags) {
      const rows = (await client.call("audit.list", workspaceOf(flags), { action: str(flags, "action"), actor: str(flags, "actor"), from: str(flags, "from"), to: str(flags, "to"), limit: str(flags, "limit"), cursor: str(flags, "cursor") })) as Record<string, unknown>[];
      return { data: rows, text: () => printTable(rows.map((r) => ({ ...r, actorEmail: r.actorEmail ?? "system" })), ["id", "createdAt", "actorEmail", "actorVia", "action", "targetType", "targetId"]) };
    },
  },
};
