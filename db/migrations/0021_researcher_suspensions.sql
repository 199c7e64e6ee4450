CREATE TABLE "researcher_suspensions" (
	"researcher_id" integer PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"suspended_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "researcher_suspensions" ADD CONSTRAINT "researcher_suspensions_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "researcher_suspensions" ADD CONSTRAINT "researcher_suspensions_suspended_by_account_id_accounts_id_fk" FOREIGN KEY ("suspended_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;