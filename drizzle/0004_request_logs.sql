CREATE TABLE "request_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"request_id" text NOT NULL,
	"request_body" jsonb NOT NULL,
	"response_body" jsonb,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "request_log_days" integer;--> statement-breakpoint
CREATE INDEX "request_logs_workspace_request_idx" ON "request_logs" USING btree ("workspace_id","request_id");--> statement-breakpoint
CREATE INDEX "request_logs_expires_idx" ON "request_logs" USING btree ("expires_at");