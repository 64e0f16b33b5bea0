// /[workspace]/usage/requests/[requestId]: one request's stored bodies (request logging on).
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { findRequestLog } from "@/lib/services/request-logs";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ workspace: string; requestId: string }> }) {
  const { workspace, requestId } = await params;
  const ctx = await requireWorkspace(workspace, "usage:read");
  const log = await findRequestLog(await getDb(), ctx, decodeURIComponent(requestId));
  return (
    <>
      <PageHeader title="Request" description={<span className="font-mono">{decodeURIComponent(requestId)}</span>} actions={<Link href={`/${workspace}/usage`} className="text-sm font-medium text-brand-600 hover:underline">← Usage</Link>} />
      {!log ? (
        <p className="text-sm text-zinc-500">No bodies are stored for this request: request logging was off, or its retention has passed. Turn it on in Settings.</p>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Request" description={`Kept until ${log.expiresAt.toLocaleString()}`}>
            <pre className="max-h-[32rem] overflow-auto p-4 text-xs" data-testid="request-body">{JSON.stringify(log.requestBody, null, 2)}</pre>
          </Card>
          <Card title="Answer">
            <pre className="max-h-[32rem] overflow-auto p-4 text-xs" data-testid="response-body">{JSON.stringify(log.responseBody, null, 2)}</pre>
          </Card>
        </div>
      )}
    </>
  );
}
