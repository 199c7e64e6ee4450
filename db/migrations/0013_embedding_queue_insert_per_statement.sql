-- New works are queued once per INSERT statement instead of once per row (0004): an import batch
-- inserts a thousand works in one statement, and a PL/pgSQL call with its own INSERT per work cost
-- more than the insert of the work. Updates stay per row: a trigger with a column list cannot see
-- transition tables, and edited texts are rare.
CREATE FUNCTION enqueue_new_works_for_embedding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO embedding_queue (work_id) SELECT id FROM new_works ORDER BY id
  ON CONFLICT (work_id) DO UPDATE
    SET enqueued_at = now(), attempts = 0, next_attempt_at = now(), leased_until = NULL,
        last_error = NULL, failed_at = NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER works_enqueue_embedding_on_insert ON works;
--> statement-breakpoint
CREATE TRIGGER works_enqueue_embedding_on_insert AFTER INSERT ON works
  REFERENCING NEW TABLE AS new_works
  FOR EACH STATEMENT EXECUTE FUNCTION enqueue_new_works_for_embedding();
