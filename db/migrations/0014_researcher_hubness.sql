-- Hubness rows are missing until computed (MatchingProfiles.completeHubness or a profile
-- refresh); suggestions read a missing row and a null last_author_share as 0. A nullable column
-- without a default rewrites nothing.
CREATE TABLE "researcher_hubness" (
	"researcher_id" integer PRIMARY KEY NOT NULL,
	"hubness" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "researcher_lexical" ADD COLUMN "last_author_share" double precision;--> statement-breakpoint
ALTER TABLE "researcher_hubness" ADD CONSTRAINT "researcher_hubness_researcher_id_researcher_lexical_researcher_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researcher_lexical"("researcher_id") ON DELETE cascade ON UPDATE no action;