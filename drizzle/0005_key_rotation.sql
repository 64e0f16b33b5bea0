ALTER TABLE "api_keys" ADD COLUMN "lineage_id" uuid;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "replaced_by_id" uuid;