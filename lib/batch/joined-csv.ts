// A CSV-made batch's results joined back onto its spreadsheet: every original column, then the
// answer (or the error) of that row's request. Row i of the CSV is line i of the batch (its
// custom_id is row-<i+1>), read a page at a time so a large sheet streams.
import { and, asc, eq, gte, lt } from "drizzle-orm";
import Papa from "papaparse";
import { batchLines, files, type BatchJob } from "@/db/schema";
import type { FileStore } from "@/lib/files/store";
import type { Executor } from "@/lib/services/context";

const page = 1000;

function answerOf(body: unknown): string {
  const choice = (body as { choices?: { message?: { content?: unknown }; text?: unknown }[] } | null)?.choices?.[0];
  const content = choice?.message?.content ?? choice?.text;
  return typeof content === "string" ? content : body ? JSON.stringify(body) : "";
}

export async function* joinedCsv(db: Executor, store: FileStore, job: BatchJob, csvFileId: string): AsyncGenerator<string> {
  const [file] = await db.select().from(files).where(and(eq(files.id, csvFileId), eq(files.workspaceId, job.workspaceId))).limit(1);
  if (!file) throw new Error("The batch's CSV is gone.");
  const chunks: Buffer[] = [];
  for await (const c of store.read(file.storageKey)) chunks.push(c as Buffer);
  const sheet = Papa.parse<Record<string, string>>(Buffer.concat(chunks).toString("utf8"), { header: true, skipEmptyLines: true });
  const columns = [...(sheet.meta.fields ?? []), "answer", "error"];
  yield Papa.unparse([columns]) + "\r\n";
  for (let start = 0; start < sheet.data.length; start += page) {
    const lines = await db
      .select({ index: batchLines.index, status: batchLines.status, body: batchLines.responseBody, error: batchLines.error })
      .from(batchLines)
      .where(and(eq(batchLines.batchId, job.id), gte(batchLines.index, start), lt(batchLines.index, start + page)))
      .orderBy(asc(batchLines.index));
    const byIndex = new Map(lines.map((l) => [l.index, l]));
    const rows = sheet.data.slice(start, start + page).map((row, i) => {
      const line = byIndex.get(start + i);
      return { ...row, answer: line?.status === "succeeded" ? answerOf(line.body) : "", error: line?.status === "failed" ? (line.error?.message ?? "failed") : line && line.status !== "succeeded" ? "not run" : "" };
    });
    yield Papa.unparse({ fields: columns, data: rows.map((r) => columns.map((c) => (r as Record<string, string>)[c] ?? "")) }, { header: false }) + "\r\n";
  }
}
