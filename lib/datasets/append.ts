// "Add to dataset" from the playground: a conversation becomes one more line of a workspace's
// named JSONL dataset (purpose fine-tune), ready for the fine-tuning wizard. Files are written
// once, so the dataset is rewritten as a new file with the line added and the old one removed.
import { Readable } from "node:stream";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { files } from "@/db/schema";
import { BoraError } from "@/lib/errors";
import { deleteFile, storeFile } from "@/lib/files/files";
import type { FileStore } from "@/lib/files/store";
import type { Executor } from "@/lib/services/context";
import { validateInstructLine } from "./instruct-line";

export const appendInput = z.object({
  dataset: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,60}$/, "Letters, digits, dots, dashes and underscores, up to 60."),
  messages: z.array(z.record(z.string(), z.unknown())).min(2, "Have at least a question and an answer first."),
});

export async function appendToDataset(db: Executor, store: FileStore, owner: { workspaceId: string; userId: string }, raw: z.input<typeof appendInput>) {
  const input = appendInput.parse(raw);
  const line = { messages: input.messages };
  const problems = validateInstructLine(line);
  if (problems.length) throw new BoraError("unprocessable:dataset_line", `This conversation cannot be trained on: ${problems[0]!.field ? `${problems[0]!.field}: ` : ""}${problems[0]!.reason}.`, { param: "messages" });
  const filename = `${input.dataset}.jsonl`;
  const [current] = await db
    .select()
    .from(files)
    .where(and(eq(files.workspaceId, owner.workspaceId), eq(files.filename, filename), eq(files.purpose, "fine-tune")))
    .orderBy(desc(files.createdAt))
    .limit(1);
  let before = "";
  if (current) {
    const chunks: Buffer[] = [];
    for await (const c of store.read(current.storageKey)) chunks.push(c as Buffer);
    before = Buffer.concat(chunks).toString("utf8");
    if (before && !before.endsWith("\n")) before += "\n";
  }
  const next = await storeFile(db, store, owner, { filename, purpose: "fine-tune", sampleType: "instruct", body: Readable.from([before + JSON.stringify(line) + "\n"]) });
  if (current) await deleteFile(db, store, owner.workspaceId, current.id);
  return { fileId: next.id, filename, lines: next.numLines ?? 0 };
}
