CREATE TABLE "usage_latency_workspace_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"latency_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"ttft_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_latency_workspace_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"latency_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"ttft_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_latency_workspace_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"latency_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"ttft_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "usage_latency_workspace_daily_key" ON "usage_latency_workspace_daily" USING btree ("workspace_id","bucket");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_latency_workspace_hourly_key" ON "usage_latency_workspace_hourly" USING btree ("workspace_id","bucket");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_latency_workspace_minute_key" ON "usage_latency_workspace_minute" USING btree ("workspace_id","bucket");--> statement-breakpoint
-- Filled from the key × model histograms already there (sums of trimmed histograms stay
-- trimmed, as the meter writes them).
INSERT INTO usage_latency_workspace_minute (bucket, workspace_id, latency_hist, ttft_hist)
SELECT bucket, workspace_id, bora_hist_sum(latency_hist), bora_hist_sum(ttft_hist) FROM usage_latency_minute GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO usage_latency_workspace_hourly (bucket, workspace_id, latency_hist, ttft_hist)
SELECT bucket, workspace_id, bora_hist_sum(latency_hist), bora_hist_sum(ttft_hist) FROM usage_latency_hourly GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO usage_latency_workspace_daily (bucket, workspace_id, latency_hist, ttft_hist)
SELECT bucket, workspace_id, bora_hist_sum(latency_hist), bora_hist_sum(ttft_hist) FROM usage_latency_daily GROUP BY 1, 2;
