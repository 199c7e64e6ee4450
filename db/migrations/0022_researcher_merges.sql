CREATE TABLE "researcher_merges" (
	"external_id" text PRIMARY KEY NOT NULL,
	"researcher_id" integer NOT NULL,
	"merged_researcher_id" integer NOT NULL,
	"merged_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "researcher_merges" ADD CONSTRAINT "researcher_merges_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "researcher_merges" ADD CONSTRAINT "researcher_merges_merged_by_account_id_accounts_id_fk" FOREIGN KEY ("merged_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "researcher_merges_researcher_id_idx" ON "researcher_merges" USING btree ("researcher_id");--> statement-breakpoint
CREATE UNIQUE INDEX "researcher_merges_merged_researcher_id_key" ON "researcher_merges" USING btree ("merged_researcher_id");