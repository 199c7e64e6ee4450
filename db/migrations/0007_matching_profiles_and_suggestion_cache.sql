CREATE TABLE "researcher_lexical" (
	"researcher_id" integer PRIMARY KEY NOT NULL,
	"centroid" sparsevec(16777216) NOT NULL,
	"group_centroid" sparsevec(16777216) NOT NULL,
	"works_count" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suggestion_cache" (
	"researcher_id" integer NOT NULL,
	"params_hash" text NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stale_at" timestamp with time zone,
	"payload" jsonb NOT NULL,
	CONSTRAINT "suggestion_cache_pkey" PRIMARY KEY("researcher_id","params_hash")
);
--> statement-breakpoint
ALTER TABLE "researcher_lexical" ADD CONSTRAINT "researcher_lexical_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestion_cache" ADD CONSTRAINT "suggestion_cache_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "researcher_lexical_centroid_hnsw" ON "researcher_lexical" USING hnsw ("centroid" sparsevec_ip_ops);--> statement-breakpoint
CREATE INDEX "researcher_lexical_group_centroid_hnsw" ON "researcher_lexical" USING hnsw ("group_centroid" sparsevec_ip_ops);