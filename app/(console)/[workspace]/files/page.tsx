// /[workspace]/files: the workspace's files (datasets, batch inputs and results), newest first,
// with a download link (signed, valid for an hour) and delete.
import type { Metadata } from "next";
import { Files } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TableHead } from "@/components/ui/table-head";
import { roleCan } from "@/lib/auth/permissions";
import { getSecret } from "@/lib/auth/secret";
import { requireWorkspace } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listFiles } from "@/lib/files/files";
import { signFileUrl } from "@/lib/files/signed-url";
import { DeleteFile } from "./_components/delete-file";

export const metadata: Metadata = { title: "Files" };

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function downloadLink(id: string): string {
  return signFileUrl("", getSecret(), id, Math.floor(Date.now() / 1000) + 3600);
}

export default async function FilesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const ctx = await requireWorkspace((await params).workspace, "jobs:read");
  const { data: files } = await listFiles(await getDb(), ctx.workspace.id, { page: 0, page_size: 200 });
  const canManage = roleCan(ctx.role, "jobs:manage");
  return (
    <>
      <PageHeader title="Files" description="Uploaded through the API (POST /v1/files) or the wizards: fine-tuning datasets, batch inputs, and the results batches write." />
      {files.length === 0 ? (
        <EmptyState icon={Files} title="No files yet">
          <p>Datasets and batch inputs appear here once uploaded, with the results of each batch.</p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-sm" data-testid="files-table">
            <TableHead dense columns={[{ label: "Name" }, { label: "Purpose" }, { label: "Lines", align: "right" }, { label: "Size", align: "right" }, { label: "Uploaded" }, { label: "Actions", hidden: true }]} />
            <tbody>
              {files.map((f) => (
                <tr key={f.id} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-5 py-2">
                    <a href={downloadLink(f.id)} download className="text-brand-700 underline-offset-2 hover:underline dark:text-brand-500">
                      {f.filename}
                    </a>
                    <div className="font-mono text-xs text-zinc-500">{f.id}</div>
                  </td>
                  <td className="px-5 py-2">
                    {f.purpose} <span className="text-zinc-500">· {f.sample_type.replace(/_/g, " ")}</span>
                  </td>
                  <td className="px-5 py-2 text-right tabular-nums">{f.num_lines?.toLocaleString("en-US") ?? "—"}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{size(f.bytes)}</td>
                  <td className="px-5 py-2 text-zinc-500">{new Date(f.created_at * 1000).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })}</td>
                  <td className="px-5 py-2 text-right">{canManage ? <DeleteFile workspace={ctx.workspace.slug} id={f.id} name={f.filename} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
