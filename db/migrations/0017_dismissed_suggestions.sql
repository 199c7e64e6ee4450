CREATE TABLE "dismissed_suggestions" (
	"researcher_id" integer NOT NULL,
	"dismissed_researcher_id" integer NOT NULL,
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dismissed_suggestions_pkey" PRIMARY KEY("researcher_id","dismissed_researcher_id")
);
--> statement-breakpoint
ALTER TABLE "dismissed_suggestions" ADD CONSTRAINT "dismissed_suggestions_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dismissed_suggestions" ADD CONSTRAINT "dismissed_suggestions_dismissed_researcher_id_researchers_id_fk" FOREIGN KEY ("dismissed_researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dismissed_suggestions_dismissed_idx" ON "dismissed_suggestions" USING btree ("dismissed_researcher_id");