// /[workspace]/batches/new: the batch wizard, from a spreadsheet and a prompt template (or a
// JSONL file of requests) to a running batch.
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listModels } from "@/lib/services/models";
import { BatchWizard } from "../_components/batch-wizard";

export const metadata: Metadata = { title: "New batch" };

export default async function NewBatchPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "jobs:manage");
  const models = (await listModels(await getDb(), undefined, { workspaceId: ctx.workspace.id })).filter((m) => m.capabilities.chat && m.routing === "ordered");
  return (
    <>
      <PageHeader title="New batch" description="Run one request per row of a spreadsheet, or a file of requests, in the background at the batch price." />
      <BatchWizard workspace={ctx.workspace.slug} models={models.map((m) => ({ alias: m.alias, input: m.inputPricePerMillion, output: m.outputPricePerMillion, factor: m.batchPriceFactor }))} />
    </>
  );
}
