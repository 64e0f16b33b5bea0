// Files uploaded through /v1/files: fine-tuning datasets, batch inputs, and the results Bora
// writes (batch outputs). The bytes live in the file store (lib/files/store.ts); this row is
// what the API lists. Files belong to one workspace.
import { bigint, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { users } from "./users";
import { workspaces } from "./workspaces";

export const filePurposes = ["fine-tune", "batch", "ocr"] as const;
export type FilePurpose = (typeof filePurposes)[number];
export const sampleTypes = ["pretrain", "instruct", "batch_request", "batch_result", "batch_error"] as const;
export type SampleType = (typeof sampleTypes)[number];

export const files = pgTable(
  "files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    purpose: text("purpose").$type<FilePurpose>().notNull(),
    sampleType: text("sample_type").$type<SampleType>(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    // Lines of a JSONL file (non-empty ones); null for other content.
    numLines: integer("num_lines"),
    // Hex SHA-256 of the bytes, computed while they stream in.
    sha256: text("sha256").notNull(),
    // Where the store keeps the bytes: a relative path, or an object key in S3.
    storageKey: text("storage_key").notNull(),
    // "upload" (a client sent it) or "bora" (written by a batch job).
    source: text("source").notNull().default("upload"),
    createdByKeyId: uuid("created_by_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("files_workspace_created_idx").on(t.workspaceId, t.createdAt)],
);

export type FileRow = typeof files.$inferSelect;
