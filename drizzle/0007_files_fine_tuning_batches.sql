CREATE TABLE "files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"purpose" text NOT NULL,
	"sample_type" text,
	"size_bytes" bigint NOT NULL,
	"num_lines" integer,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"source" text DEFAULT 'upload' NOT NULL,
	"created_by_key_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fine_tuning_checkpoints" (
	"job_id" uuid NOT NULL,
	"step_number" integer NOT NULL,
	"metrics" jsonb NOT NULL,
	"path" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fine_tuning_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"name" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fine_tuning_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"model" text NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"auto_start" boolean DEFAULT true NOT NULL,
	"suffix" text,
	"hyperparameters" jsonb NOT NULL,
	"training_files" jsonb NOT NULL,
	"validation_files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"integrations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"trainer" text NOT NULL,
	"provider_id" uuid,
	"remote_job_id" text,
	"remote_file_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fine_tuned_model" text,
	"trained_tokens" bigint,
	"estimate" jsonb,
	"cost" double precision,
	"failure_reason" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_by_key_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid,
	"endpoint" text NOT NULL,
	"model" text,
	"metadata" jsonb,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"input_files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"timeout_hours" integer DEFAULT 24 NOT NULL,
	"total_requests" integer NOT NULL,
	"mode" text DEFAULT 'lines' NOT NULL,
	"provider_id" uuid,
	"upstream_model" text,
	"remote_file_id" text,
	"remote_job_id" text,
	"remote_counts" jsonb,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"output_file_id" uuid,
	"error_file_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "batch_lines" (
	"batch_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"custom_id" text NOT NULL,
	"body" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"response_status" integer,
	"response_body" jsonb,
	"error" jsonb,
	"tokens" bigint,
	"completed_at" timestamp with time zone,
	CONSTRAINT "batch_lines_batch_id_index_pk" PRIMARY KEY("batch_id","index")
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "batch_mode" text DEFAULT 'bora' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "max_concurrent" integer;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "batch_price_factor" double precision DEFAULT 0.5 NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "training_price_per_million" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "fine_tuning_job_id" uuid;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "base_model" text;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_created_by_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_checkpoints" ADD CONSTRAINT "fine_tuning_checkpoints_job_id_fine_tuning_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."fine_tuning_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_events" ADD CONSTRAINT "fine_tuning_events_job_id_fine_tuning_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."fine_tuning_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_jobs" ADD CONSTRAINT "fine_tuning_jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_jobs" ADD CONSTRAINT "fine_tuning_jobs_created_by_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_jobs" ADD CONSTRAINT "fine_tuning_jobs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_jobs" ADD CONSTRAINT "batch_jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_jobs" ADD CONSTRAINT "batch_jobs_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_jobs" ADD CONSTRAINT "batch_jobs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_batch_id_batch_jobs_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batch_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "files_workspace_created_idx" ON "files" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fine_tuning_checkpoints_job_step_idx" ON "fine_tuning_checkpoints" USING btree ("job_id","step_number");--> statement-breakpoint
CREATE INDEX "fine_tuning_events_job_idx" ON "fine_tuning_events" USING btree ("job_id","id");--> statement-breakpoint
CREATE INDEX "fine_tuning_jobs_workspace_created_idx" ON "fine_tuning_jobs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "fine_tuning_jobs_status_idx" ON "fine_tuning_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "batch_jobs_workspace_created_idx" ON "batch_jobs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "batch_jobs_status_idx" ON "batch_jobs" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "batch_lines_custom_id_idx" ON "batch_lines" USING btree ("batch_id","custom_id");--> statement-breakpoint
CREATE INDEX "batch_lines_status_idx" ON "batch_lines" USING btree ("batch_id","status");--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;