// GET /[workspace]/batches/[batchId]/joined: the batch's CSV with each row's answer joined on,
// streamed. Same session and workspace checks as the page.
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { joinedCsv } from "@/lib/batch/joined-csv";
import { getBatch } from "@/lib/batch/jobs";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { csvResponse } from "@/lib/http/csv-response";
import { fileStore } from "@/lib/files/current-store";
import { authorize } from "@/lib/services/authorize";
import { findUserById } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ workspace: string; batchId: string }> }) {
  const session = (await getServerSession(authOptions())) as { uid?: string } | null;
  const db = await getDb();
  const user = session?.uid ? await findUserById(db, session.uid) : undefined;
  if (!user || user.disabledAt) return Response.json({ object: "error", message: "Sign in to download results." }, { status: 401 });
  const { workspace, batchId } = await params;
  let job;
  try {
    const ctx = await authorize(db, { user, via: "console" }, { slug: workspace }, "jobs:read");
    job = await getBatch(db, ctx.workspace.id, batchId);
  } catch (err) {
    const status = isBoraError(err) ? err.status : 500;
    return Response.json({ object: "error", message: isBoraError(err) ? err.message : "Internal error." }, { status });
  }
  const csvId = (job.metadata as { csv_file_id?: string } | null)?.csv_file_id;
  if (!csvId) return Response.json({ object: "error", message: "This batch was not made from a CSV." }, { status: 404 });
  return csvResponse(joinedCsv(db, fileStore(), job, csvId), `batch-${job.id.slice(0, 8)}-answers.csv`);
}
