ALTER TABLE "messages" DROP CONSTRAINT "messages_sender_account_id_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "sender_account_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_account_id_accounts_id_fk" FOREIGN KEY ("sender_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;