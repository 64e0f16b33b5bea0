CREATE TABLE "usage_rollups_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"status" text NOT NULL,
	"origin" text NOT NULL,
	"requests" bigint NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_nanos" bigint NOT NULL,
	"latency_ms_sum" bigint NOT NULL,
	"ttft_ms_sum" bigint NOT NULL,
	"streamed" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "usage_rollups_hourly_key" ON "usage_rollups_hourly" USING btree ("workspace_id","bucket","api_key_id","model","status","origin");