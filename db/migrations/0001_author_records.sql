CREATE TABLE "authorships" (
	"work_id" integer NOT NULL,
	"researcher_id" integer NOT NULL,
	"position" smallint NOT NULL,
	"institution_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	CONSTRAINT "authorships_pkey" PRIMARY KEY("work_id","researcher_id")
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "institutions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"external_id" text NOT NULL,
	"ror" text,
	"name" text NOT NULL,
	"country_code" char(2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "researchers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "researchers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"external_id" text NOT NULL,
	"orcid" text,
	"name" text NOT NULL,
	"external_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"institution_id" integer,
	"institution_year" smallint,
	"open_to_collaborate" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_topics" (
	"work_id" integer NOT NULL,
	"topic_id" integer NOT NULL,
	"score" real NOT NULL,
	CONSTRAINT "work_topics_pkey" PRIMARY KEY("work_id","topic_id")
);
--> statement-breakpoint
CREATE TABLE "works" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "works_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"external_id" text NOT NULL,
	"doi" text,
	"title" text NOT NULL,
	"abstract" text,
	"year" smallint,
	"type" text,
	"venue" text,
	"external_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "authorships" ADD CONSTRAINT "authorships_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorships" ADD CONSTRAINT "authorships_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "researchers" ADD CONSTRAINT "researchers_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_topics" ADD CONSTRAINT "work_topics_work_id_works_id_fk" FOREIGN KEY ("work_id") REFERENCES "public"."works"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_topics" ADD CONSTRAINT "work_topics_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "authorships_researcher_id_idx" ON "authorships" USING btree ("researcher_id","work_id");--> statement-breakpoint
CREATE UNIQUE INDEX "institutions_external_id_key" ON "institutions" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "institutions_ror_idx" ON "institutions" USING btree ("ror");--> statement-breakpoint
CREATE UNIQUE INDEX "researchers_external_id_key" ON "researchers" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "researchers_orcid_idx" ON "researchers" USING btree ("orcid");--> statement-breakpoint
CREATE INDEX "researchers_name_trgm_idx" ON "researchers" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "researchers_institution_id_idx" ON "researchers" USING btree ("institution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "topics_external_id_key" ON "topics" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "work_topics_topic_id_idx" ON "work_topics" USING btree ("topic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "works_external_id_key" ON "works" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "works_doi_idx" ON "works" USING btree ("doi");--> statement-breakpoint
CREATE INDEX "works_year_idx" ON "works" USING btree ("year");