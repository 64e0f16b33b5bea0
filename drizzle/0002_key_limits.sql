CREATE TABLE "key_quota_usage" (
	"api_key_id" uuid NOT NULL,
	"month" text NOT NULL,
	"used_tokens" bigint DEFAULT 0 NOT NULL,
	"reserved_tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "key_quota_usage_api_key_id_month_pk" PRIMARY KEY("api_key_id","month")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rpm" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tpm" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "monthly_token_quota" bigint;--> statement-breakpoint
ALTER TABLE "key_quota_usage" ADD CONSTRAINT "key_quota_usage_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;