CREATE TABLE "coauthor_edges" (
	"researcher_id" integer NOT NULL,
	"coauthor_id" integer NOT NULL,
	"joint_works" integer NOT NULL,
	"last_year" integer,
	CONSTRAINT "coauthor_edges_pkey" PRIMARY KEY("researcher_id","coauthor_id")
);
--> statement-breakpoint
ALTER TABLE "coauthor_edges" ADD CONSTRAINT "coauthor_edges_researcher_id_researchers_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coauthor_edges" ADD CONSTRAINT "coauthor_edges_coauthor_id_researchers_id_fk" FOREIGN KEY ("coauthor_id") REFERENCES "public"."researchers"("id") ON DELETE cascade ON UPDATE no action;