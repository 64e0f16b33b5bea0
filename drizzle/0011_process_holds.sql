CREATE TABLE "bora_processes" (
	"id" text PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reservation_holds" (
	"process_id" text NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"month" text NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_nanos" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "reservation_holds_process_id_kind_target_id_month_pk" PRIMARY KEY("process_id","kind","target_id","month")
);
--> statement-breakpoint
CREATE INDEX "bora_processes_seen_idx" ON "bora_processes" USING btree ("seen_at");