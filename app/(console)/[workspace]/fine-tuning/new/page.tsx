// /[workspace]/fine-tuning/new: the dataset wizard. The file is checked in the browser line by
// line as soon as it is chosen (the same module the API validates with), then a base model and
// hyperparameters with an estimate, then the job.
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getSecret } from "@/lib/auth/secret";
import { listFiles } from "@/lib/files/files";
import { signFileUrl } from "@/lib/files/signed-url";
import { canFineTune } from "@/lib/fine-tuning/trainer-choice";
import { listModels } from "@/lib/services/models";
import { Wizard } from "../_components/wizard";

export const metadata: Metadata = { title: "New fine-tuning job" };

// The browser reads a picked file through a signed link (valid 10 minutes) to check it.
function contentLink(id: string): string {
  return signFileUrl("", getSecret(), id, Math.floor(Date.now() / 1000) + 600);
}

export default async function NewJobPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "jobs:manage");
  const db = await getDb();
  const all = await listModels(db, undefined, { workspaceId: ctx.workspace.id });
  const bases = [];
  for (const m of all) if (m.capabilities.chat && !m.baseModel && (await canFineTune(db, ctx.workspace.id, m.alias))) bases.push({ alias: m.alias, trainingPrice: m.trainingPricePerMillion });
  const uploaded = (await listFiles(db, ctx.workspace.id, { page: 0, page_size: 100, purpose: "fine-tune" })).data.map((f) => ({ id: f.id, filename: f.filename, lines: f.num_lines, url: contentLink(f.id) }));
  return (
    <>
      <PageHeader title="New fine-tuning job" description="Choose a JSONL dataset of conversations, fix what the check finds, pick a base model, and start." />
      <Wizard workspace={ctx.workspace.slug} models={bases} uploaded={uploaded} />
    </>
  );
}
