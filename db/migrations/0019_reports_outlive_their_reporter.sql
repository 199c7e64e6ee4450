ALTER TABLE "record_reports" DROP CONSTRAINT "record_reports_reporter_account_id_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "record_reports" ALTER COLUMN "reporter_account_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "record_reports" ADD CONSTRAINT "record_reports_reporter_account_id_accounts_id_fk" FOREIGN KEY ("reporter_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;