CREATE TABLE "workspace_budget_usage" (
	"workspace_id" uuid NOT NULL,
	"month" text NOT NULL,
	"used_cost_nanos" bigint DEFAULT 0 NOT NULL,
	"reserved_cost_nanos" bigint DEFAULT 0 NOT NULL,
	"notified_percent" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "workspace_budget_usage_workspace_id_month_pk" PRIMARY KEY("workspace_id","month")
);
--> statement-breakpoint
CREATE TABLE "workspace_model_limits" (
	"workspace_id" uuid NOT NULL,
	"model" text NOT NULL,
	"rpm" integer,
	"tpm" integer,
	CONSTRAINT "workspace_model_limits_workspace_id_model_pk" PRIMARY KEY("workspace_id","model")
);
--> statement-breakpoint
CREATE TABLE "playground_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"model" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "playground_presets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "monthly_spend_cap_nanos" bigint;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "budget_thresholds" jsonb DEFAULT '[80,95]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "budget_webhook_url" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "budget_webhook_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "monthly_spend_quota_nanos" bigint;--> statement-breakpoint
ALTER TABLE "key_quota_usage" ADD COLUMN "used_cost_nanos" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "key_quota_usage" ADD COLUMN "reserved_cost_nanos" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace_budget_usage" ADD CONSTRAINT "workspace_budget_usage_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_model_limits" ADD CONSTRAINT "workspace_model_limits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playground_conversations" ADD CONSTRAINT "playground_conversations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playground_conversations" ADD CONSTRAINT "playground_conversations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playground_presets" ADD CONSTRAINT "playground_presets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playground_presets" ADD CONSTRAINT "playground_presets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "playground_conversations_owner_idx" ON "playground_conversations" USING btree ("workspace_id","user_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "playground_presets_workspace_name" ON "playground_presets" USING btree ("workspace_id","name");