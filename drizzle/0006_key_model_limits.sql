CREATE TABLE "api_key_model_limits" (
	"api_key_id" uuid NOT NULL,
	"model" text NOT NULL,
	"rpm" integer,
	"tpm" integer,
	CONSTRAINT "api_key_model_limits_api_key_id_model_pk" PRIMARY KEY("api_key_id","model")
);
--> statement-breakpoint
ALTER TABLE "api_key_model_limits" ADD CONSTRAINT "api_key_model_limits_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;