-- Both start null: existing profiles get them at their next refresh (or MatchingProfiles.completeHubness);
-- suggestions read null as 0. Adding nullable columns without a default rewrites nothing.
ALTER TABLE "researcher_lexical" ADD COLUMN "hubness" double precision;--> statement-breakpoint
ALTER TABLE "researcher_lexical" ADD COLUMN "last_author_share" double precision;