CREATE TABLE "domain_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "record_reports" ADD COLUMN "status" text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "record_reports" ADD COLUMN "decided_by_account_id" integer;--> statement-breakpoint
ALTER TABLE "record_reports" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "record_reports" ADD COLUMN "decision_note" text;--> statement-breakpoint
ALTER TABLE "record_reports" ADD CONSTRAINT "record_reports_decided_by_account_id_accounts_id_fk" FOREIGN KEY ("decided_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "record_reports_queue_idx" ON "record_reports" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "record_reports" ADD CONSTRAINT "record_reports_status_check" CHECK ("record_reports"."status" in ('open', 'dismissed', 'upheld'));