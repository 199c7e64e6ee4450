CREATE TABLE "embedding_queue" (
	"work_id" integer PRIMARY KEY NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"leased_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lexical_terms" (
	"term_hash" integer PRIMARY KEY NOT NULL,
	"df" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "researcher_embeddings" (
	"researcher_id" integer PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"embedding" vector(384) NOT NULL,
	"works_count" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "researcher_refresh_queue" (
	"researcher_id" integer PRIMARY KEY NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_embeddings" (
	"work_id" integer PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"dtype" text NOT NULL,
	"text_hash" text NOT NULL,
	"embedding" vector(384) NOT NULL,
	"embedded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_lexical" (
	"work_id" integer PRIMARY KEY NOT NULL,
	"vector" sparsevec(16777216) NOT NULL,
	"corpus_size" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "embedding_queue" ADD CONSTRAINT "embedding_queue_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "researcher_embeddings" ADD CONSTRAINT "researcher_embeddings_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "researcher_refresh_queue" ADD CONSTRAINT "researcher_refresh_queue_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_embeddings" ADD CONSTRAINT "work_embeddings_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_lexical" ADD CONSTRAINT "work_lexical_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "embedding_queue_ready_idx" ON "embedding_queue" USING btree ("next_attempt_at","work_id") WHERE "embedding_queue"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "researcher_embeddings_embedding_hnsw" ON "researcher_embeddings" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "work_embeddings_embedding_hnsw" ON "work_embeddings" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "work_embeddings_model_text_hash_idx" ON "work_embeddings" USING btree ("model_id","text_hash");--> statement-breakpoint
CREATE INDEX "work_embeddings_embedded_at_idx" ON "work_embeddings" USING btree ("embedded_at");--> statement-breakpoint
CREATE INDEX "work_lexical_corpus_size_idx" ON "work_lexical" USING btree ("corpus_size");