CREATE TABLE "distinct_researchers" (
	"low_id" integer NOT NULL,
	"high_id" integer NOT NULL,
	"marked_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "distinct_researchers_pkey" PRIMARY KEY("low_id","high_id"),
	CONSTRAINT "distinct_researchers_ordered" CHECK ("distinct_researchers"."low_id" < "distinct_researchers"."high_id")
);
--> statement-breakpoint
ALTER TABLE "distinct_researchers" ADD CONSTRAINT "distinct_researchers_low_id_researchers_id_fk" FOREIGN KEY ("low_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distinct_researchers" ADD CONSTRAINT "distinct_researchers_high_id_researchers_id_fk" FOREIGN KEY ("high_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distinct_researchers" ADD CONSTRAINT "distinct_researchers_marked_by_account_id_accounts_id_fk" FOREIGN KEY ("marked_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "distinct_researchers_high_id_idx" ON "distinct_researchers" USING btree ("high_id");