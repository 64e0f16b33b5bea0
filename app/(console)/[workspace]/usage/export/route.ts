// GET /[workspace]/usage/export?kind=grouped|raw&range=…&key=…&model=…: the usage view as CSV,
// streamed. Same session and workspace checks as the page.
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { getDb } from "@/lib/db/client";
import { isBoraError } from "@/lib/errors";
import { csvResponse } from "@/lib/http/csv-response";
import { authorize } from "@/lib/services/authorize";
import { groupedUsageCsv, rawUsageCsv } from "@/lib/services/usage-export";
import { usageFilterInput } from "@/lib/services/usage-dashboard";
import { findUserById } from "@/lib/services/users";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const session = (await getServerSession(authOptions())) as { uid?: string } | null;
  const db = await getDb();
  const user = session?.uid ? await findUserById(db, session.uid) : undefined;
  if (!user || user.disabledAt) return Response.json({ object: "error", message: "Sign in to export usage." }, { status: 401 });
  const { workspace } = await params;
  let ctx;
  try {
    ctx = await authorize(db, { user, via: "console" }, { slug: workspace }, "usage:read");
  } catch (err) {
    const status = isBoraError(err) ? err.status : 500;
    return Response.json({ object: "error", message: isBoraError(err) ? err.message : "Internal error." }, { status });
  }
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const filter = usageFilterInput.parse(query);
  const raw = query.kind === "raw";
  const rows = raw ? rawUsageCsv(db, ctx, filter) : groupedUsageCsv(db, ctx, filter);
  return csvResponse(rows, `bora-usage-${ctx.workspace.slug}-${filter.range}-${raw ? "requests" : "daily"}.csv`);
}
