-- Every new work, and every work whose text changed, waits for vectors. Doing this in a trigger
-- puts the queue entry in the same transaction as the work: nothing committed is ever missed.
CREATE FUNCTION enqueue_work_for_embedding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO embedding_queue (work_id) VALUES (NEW.id)
  ON CONFLICT (work_id) DO UPDATE
    SET enqueued_at = now(), attempts = 0, next_attempt_at = now(), leased_until = NULL,
        last_error = NULL, failed_at = NULL;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER works_enqueue_embedding_on_insert AFTER INSERT ON works
  FOR EACH ROW EXECUTE FUNCTION enqueue_work_for_embedding();
--> statement-breakpoint
CREATE TRIGGER works_enqueue_embedding_on_update AFTER UPDATE OF title, abstract ON works
  FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract)
  EXECUTE FUNCTION enqueue_work_for_embedding();
--> statement-breakpoint
INSERT INTO embedding_queue (work_id) SELECT id FROM works ON CONFLICT DO NOTHING;
