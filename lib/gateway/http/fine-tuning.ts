// /v1/fine_tuning/*: jobs (create, list, get, cancel, start) and the fine-tuned models' rename
// and archive. Jobs belong to the calling key's workspace; the runner does the work.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { models } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { emit } from "@/lib/events";
import { listJobsQuery } from "@/lib/fine-tuning/job-input";
import { jobView } from "@/lib/fine-tuning/job-view";
import { cancelJob, createJob, getJob, jobDetail, listJobs, startJob } from "@/lib/fine-tuning/jobs";
import { readJson, sendJson } from "@/lib/http/json";
import { withApiKey } from "./with-api-key";

const owner = (ctx: { key: { workspaceId: string; id: string | null } }) => ({ workspaceId: ctx.key.workspaceId, keyId: ctx.key.id });

// POST /v1/fine_tuning/jobs: queue a job (validated first; auto_start false stops at VALIDATED)
export const createJobRoute = withApiKey(async (ctx, req, res) => {
  const job = await createJob(ctx.gw.db, owner(ctx), await readJson(req));
  sendJson(res, 200, jobView(job));
});

// GET /v1/fine_tuning/jobs: newest first, filtered, a page at a time
export const listJobsRoute = withApiKey(async (ctx, req, res) => {
  const params = Object.fromEntries(new URL(req.url ?? "/", "http://bora").searchParams);
  sendJson(res, 200, await listJobs(ctx.gw.db, ctx.key.workspaceId, listJobsQuery.parse(params)));
});

// GET /v1/fine_tuning/jobs/{id}: with its events and checkpoints
export const getJobRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await jobDetail(ctx.gw.db, await getJob(ctx.gw.db, ctx.key.workspaceId, params.id!)));
});

// POST /v1/fine_tuning/jobs/{id}/cancel
export const cancelJobRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await jobDetail(ctx.gw.db, await cancelJob(ctx.gw.db, ctx.key.workspaceId, params.id!)));
});

// POST /v1/fine_tuning/jobs/{id}/start
export const startJobRoute = withApiKey(async (ctx, _req, res, params) => {
  sendJson(res, 200, await jobDetail(ctx.gw.db, await startJob(ctx.gw.db, ctx.key.workspaceId, params.id!)));
});

async function ownModel(ctx: { gw: { db: import("@/lib/db/client").Db }; key: { workspaceId: string } }, alias: string) {
  const [m] = await ctx.gw.db.select().from(models).where(and(eq(models.alias, alias), eq(models.workspaceId, ctx.key.workspaceId))).limit(1);
  if (!m) throw new BoraError("not_found:model", `No fine-tuned model "${alias}" in this workspace.`, { param: "model_id" });
  return m;
}

function ftModelView(m: typeof models.$inferSelect) {
  return { id: m.alias, object: "model", created: Math.floor(m.createdAt.getTime() / 1000), owned_by: "bora", root: m.baseModel, archived: m.archived, name: m.description, description: m.description, job: m.fineTuningJobId, capabilities: { completion_chat: m.capabilities.chat, completion_fim: m.capabilities.fim, function_calling: m.capabilities.functionCalling, fine_tuning: false, vision: m.capabilities.vision, classification: false }, max_context_length: m.contextLength, aliases: [], type: "fine-tuned", job_type: "completion" };
}

const renameInput = z.object({ name: z.string().max(200).nullish(), description: z.string().max(500).nullish() });

// PATCH /v1/fine_tuning/models/{id}: rename (the alias stays; name and description change)
export const renameModelRoute = withApiKey(async (ctx, req, res, params) => {
  const m = await ownModel(ctx, params.id!);
  const input = renameInput.parse(await readJson(req));
  const [row] = await ctx.gw.db.update(models).set({ description: input.description ?? input.name ?? m.description }).where(eq(models.id, m.id)).returning();
  emit("catalog.changed");
  sendJson(res, 200, ftModelView(row!));
});

// POST and DELETE /v1/fine_tuning/models/{id}/archive: archived models stop answering
const archive = (archived: boolean) =>
  withApiKey(async (ctx, _req, res, params) => {
    const m = await ownModel(ctx, params.id!);
    await ctx.gw.db.update(models).set({ archived }).where(eq(models.id, m.id));
    emit("catalog.changed");
    sendJson(res, 200, { id: m.alias, object: "model", archived });
  });
export const archiveModelRoute = archive(true);
export const unarchiveModelRoute = archive(false);
