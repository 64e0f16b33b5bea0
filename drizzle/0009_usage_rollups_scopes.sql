CREATE TABLE "usage_latency_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"latency_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"ttft_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_latency_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"latency_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"ttft_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_latency_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"latency_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"ttft_hist" bigint[] DEFAULT '{}'::bigint[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_rollups_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"provider_id" uuid DEFAULT '00000000-0000-0000-0000-000000000000' NOT NULL,
	"endpoint" text DEFAULT '' NOT NULL,
	"origin" text NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_nanos" bigint NOT NULL,
	"latency_ms_sum" bigint NOT NULL,
	"ttft_ms_sum" bigint NOT NULL,
	"streamed" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_rollups_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"provider_id" uuid DEFAULT '00000000-0000-0000-0000-000000000000' NOT NULL,
	"endpoint" text DEFAULT '' NOT NULL,
	"origin" text NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_nanos" bigint NOT NULL,
	"latency_ms_sum" bigint NOT NULL,
	"ttft_ms_sum" bigint NOT NULL,
	"streamed" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "usage_rollups_hourly_key";--> statement-breakpoint
-- Rebuilt from the raw events below, with the new dimensions.
DELETE FROM usage_rollups_hourly;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "usage_raw_retention_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups_hourly" ADD COLUMN "provider_id" uuid DEFAULT '00000000-0000-0000-0000-000000000000' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups_hourly" ADD COLUMN "endpoint" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups_hourly" ADD COLUMN "errors" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "usage_latency_daily_key" ON "usage_latency_daily" USING btree ("workspace_id","bucket","api_key_id","model");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_latency_hourly_key" ON "usage_latency_hourly" USING btree ("workspace_id","bucket","api_key_id","model");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_latency_minute_key" ON "usage_latency_minute" USING btree ("workspace_id","bucket","api_key_id","model");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_rollups_daily_key" ON "usage_rollups_daily" USING btree ("workspace_id","bucket","api_key_id","model","provider_id","endpoint","origin");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_rollups_minute_key" ON "usage_rollups_minute" USING btree ("workspace_id","bucket","api_key_id","model","provider_id","endpoint","origin");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_rollups_hourly_key" ON "usage_rollups_hourly" USING btree ("workspace_id","bucket","api_key_id","model","provider_id","endpoint","origin");--> statement-breakpoint
ALTER TABLE "usage_rollups_hourly" DROP COLUMN "status";--> statement-breakpoint
-- Latency histograms (lib/usage/histogram.ts): the bucket of a value, the histogram of a list of
-- buckets, and the element-wise sum of two histograms (and its aggregate). Histograms are
-- trimmed bigint[]; '{}' is empty.
CREATE FUNCTION bora_hist_index(ms integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT width_bucket(ms, '{1,2,3,4,5,6,8,10,13,16,20,25,31,39,49,61,76,95,119,149,186,233,291,364,455,569,711,889,1111,1389,1736,2170,2713,3391,4239,5299,6624,8280,10350,12938,16173,20216,25270,31588,39485,49356,61695,77119,96399,120499,150624,188280,235350,294188,367735,459669,574586,718233}'::integer[])
$$;--> statement-breakpoint
CREATE FUNCTION bora_hist_of(idx integer[]) RETURNS bigint[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  r bigint[];
  i integer;
BEGIN
  IF idx IS NULL OR cardinality(idx) = 0 THEN RETURN '{}'::bigint[]; END IF;
  r := array_fill(0::bigint, ARRAY[(SELECT max(x) FROM unnest(idx) x) + 1]);
  FOREACH i IN ARRAY idx LOOP r[i + 1] := r[i + 1] + 1; END LOOP;
  RETURN r;
END
$$;--> statement-breakpoint
CREATE FUNCTION bora_hist_add(a bigint[], b bigint[]) RETURNS bigint[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  r bigint[];
  o bigint[];
  i integer;
BEGIN
  IF a IS NULL THEN RETURN b; END IF;
  IF b IS NULL THEN RETURN a; END IF;
  IF cardinality(a) >= cardinality(b) THEN r := a; o := b; ELSE r := b; o := a; END IF;
  FOR i IN 1..cardinality(o) LOOP r[i] := r[i] + o[i]; END LOOP;
  RETURN r;
END
$$;--> statement-breakpoint
CREATE AGGREGATE bora_hist_sum(bigint[]) (SFUNC = bora_hist_add, STYPE = bigint[], COMBINEFUNC = bora_hist_add, INITCOND = '{}', PARALLEL = SAFE);--> statement-breakpoint
-- The hourly rollups gain provider, endpoint and an error count (status is no longer a
-- dimension), histograms and minute and day tables start: all rebuilt from the raw events (none
-- were pruned before this migration). Minute rows are kept for three days only.
INSERT INTO usage_rollups_minute (bucket, workspace_id, api_key_id, model, provider_id, endpoint, origin, requests, errors, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed)
SELECT date_trunc('minute', created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
  coalesce(provider_id, '00000000-0000-0000-0000-000000000000'), endpoint, origin,
  count(*), count(*) FILTER (WHERE status <> 'ok'), sum(prompt_tokens), sum(completion_tokens), sum(cost_nanos), sum(latency_ms), coalesce(sum(ttft_ms), 0), count(ttft_ms)
FROM usage_events
WHERE created_at >= now() - interval '3 days'
GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO usage_latency_minute (bucket, workspace_id, api_key_id, model, latency_hist, ttft_hist)
SELECT date_trunc('minute', created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
  bora_hist_of(array_agg(bora_hist_index(latency_ms))), bora_hist_of(array_agg(bora_hist_index(ttft_ms)) FILTER (WHERE ttft_ms IS NOT NULL))
FROM usage_events
WHERE created_at >= now() - interval '3 days'
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO usage_rollups_hourly (bucket, workspace_id, api_key_id, model, provider_id, endpoint, origin, requests, errors, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed)
SELECT date_trunc('hour', created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
  coalesce(provider_id, '00000000-0000-0000-0000-000000000000'), endpoint, origin,
  count(*), count(*) FILTER (WHERE status <> 'ok'), sum(prompt_tokens), sum(completion_tokens), sum(cost_nanos), sum(latency_ms), coalesce(sum(ttft_ms), 0), count(ttft_ms)
FROM usage_events
GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO usage_latency_hourly (bucket, workspace_id, api_key_id, model, latency_hist, ttft_hist)
SELECT date_trunc('hour', created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
  bora_hist_of(array_agg(bora_hist_index(latency_ms))), bora_hist_of(array_agg(bora_hist_index(ttft_ms)) FILTER (WHERE ttft_ms IS NOT NULL))
FROM usage_events
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO usage_rollups_daily (bucket, workspace_id, api_key_id, model, provider_id, endpoint, origin, requests, errors, prompt_tokens, completion_tokens, cost_nanos, latency_ms_sum, ttft_ms_sum, streamed)
SELECT date_trunc('day', created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
  coalesce(provider_id, '00000000-0000-0000-0000-000000000000'), endpoint, origin,
  count(*), count(*) FILTER (WHERE status <> 'ok'), sum(prompt_tokens), sum(completion_tokens), sum(cost_nanos), sum(latency_ms), coalesce(sum(ttft_ms), 0), count(ttft_ms)
FROM usage_events
GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO usage_latency_daily (bucket, workspace_id, api_key_id, model, latency_hist, ttft_hist)
SELECT date_trunc('day', created_at, 'UTC'), workspace_id, coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'), model,
  bora_hist_of(array_agg(bora_hist_index(latency_ms))), bora_hist_of(array_agg(bora_hist_index(ttft_ms)) FILTER (WHERE ttft_ms IS NOT NULL))
FROM usage_events
GROUP BY 1, 2, 3, 4;
