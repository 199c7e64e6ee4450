-- coauthor_edges follows authorships inside the writing transaction, like the embedding queue
-- (0004): a committed authorship is always in the graph. Statement-level triggers see a whole
-- import batch at once through transition tables, so a batch costs one statement, not one per row.

-- Adding authorships only adds joint works, so new pairs are counted up. Rows are written in key
-- order so that concurrent importers lock shared edges in the same order.
CREATE FUNCTION coauthor_edges_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO coauthor_edges (researcher_id, coauthor_id, joint_works, last_year)
  SELECT x.researcher_id, y.researcher_id, count(*)::int, max(w.year)
    FROM (SELECT DISTINCT work_id FROM new_authorships) nw
    JOIN authorships x ON x.work_id = nw.work_id
    JOIN authorships y ON y.work_id = nw.work_id AND y.researcher_id <> x.researcher_id
    JOIN works w ON w.id = nw.work_id
    LEFT JOIN new_authorships nx ON nx.work_id = x.work_id AND nx.researcher_id = x.researcher_id
    LEFT JOIN new_authorships ny ON ny.work_id = y.work_id AND ny.researcher_id = y.researcher_id
   WHERE nx.work_id IS NOT NULL OR ny.work_id IS NOT NULL
   GROUP BY x.researcher_id, y.researcher_id
   ORDER BY x.researcher_id, y.researcher_id
  ON CONFLICT (researcher_id, coauthor_id) DO UPDATE
    SET joint_works = coauthor_edges.joint_works + excluded.joint_works,
        last_year = greatest(coauthor_edges.last_year, excluded.last_year);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Removals and changed years cannot be counted down (the new last year is unknown), so the
-- affected pairs are recounted from authorships; pairs left without a joint work disappear.
CREATE FUNCTION recount_coauthor_pairs(xs integer[], ys integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH pairs AS (
    SELECT DISTINCT x, y FROM unnest(xs, ys) AS p(x, y) WHERE x <> y
  ), counted AS (
    SELECT p.x, p.y, count(*)::int AS n, max(w.year) AS last_year
      FROM pairs p
      JOIN authorships a ON a.researcher_id = p.x
      JOIN authorships b ON b.researcher_id = p.y AND b.work_id = a.work_id
      JOIN works w ON w.id = a.work_id
     GROUP BY p.x, p.y
  ), gone AS (
    DELETE FROM coauthor_edges e USING pairs p
     WHERE e.researcher_id = p.x AND e.coauthor_id = p.y
       AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.x = p.x AND c.y = p.y)
  )
  INSERT INTO coauthor_edges (researcher_id, coauthor_id, joint_works, last_year)
  SELECT x, y, n, last_year FROM counted ORDER BY x, y
  ON CONFLICT (researcher_id, coauthor_id) DO UPDATE
    SET joint_works = excluded.joint_works, last_year = excluded.last_year;
END $$;
--> statement-breakpoint
-- Removed authorships: the removed author against everyone else on the work, both ways.
CREATE FUNCTION coauthor_edges_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_coauthor_pairs(array_agg(x), array_agg(y)) FROM (
    SELECT o.researcher_id AS x, other.researcher_id AS y
      FROM old_authorships o
      JOIN (SELECT work_id, researcher_id FROM authorships
            UNION ALL SELECT work_id, researcher_id FROM old_authorships) other
        ON other.work_id = o.work_id AND other.researcher_id <> o.researcher_id
    UNION
    SELECT a.researcher_id, o.researcher_id
      FROM old_authorships o JOIN authorships a ON a.work_id = o.work_id AND a.researcher_id <> o.researcher_id
  ) affected;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A moved authorship (other work or other researcher): recount the pairs it left and joined.
-- Updates that keep both keys (position, affiliations) change nothing here.
CREATE FUNCTION coauthor_edges_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_coauthor_pairs(array_agg(pair.x), array_agg(pair.y)) FROM (
    SELECT changed.researcher_id AS x, other.researcher_id AS y
      FROM ((SELECT work_id, researcher_id FROM old_authorships
             EXCEPT SELECT work_id, researcher_id FROM new_authorships)
            UNION
            (SELECT work_id, researcher_id FROM new_authorships
             EXCEPT SELECT work_id, researcher_id FROM old_authorships)) changed
      JOIN (SELECT work_id, researcher_id FROM authorships
            UNION SELECT work_id, researcher_id FROM old_authorships) other
        ON other.work_id = changed.work_id AND other.researcher_id <> changed.researcher_id
  ) one_way
  CROSS JOIN LATERAL (VALUES (one_way.x, one_way.y), (one_way.y, one_way.x)) AS pair(x, y);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION coauthor_edges_work_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_coauthor_pairs(array_agg(a.researcher_id), array_agg(b.researcher_id))
     FROM authorships a JOIN authorships b ON b.work_id = a.work_id AND b.researcher_id <> a.researcher_id
    WHERE a.work_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER authorships_coauthor_edges_on_insert AFTER INSERT ON authorships
  REFERENCING NEW TABLE AS new_authorships
  FOR EACH STATEMENT EXECUTE FUNCTION coauthor_edges_add();
--> statement-breakpoint
CREATE TRIGGER authorships_coauthor_edges_on_delete AFTER DELETE ON authorships
  REFERENCING OLD TABLE AS old_authorships
  FOR EACH STATEMENT EXECUTE FUNCTION coauthor_edges_remove();
--> statement-breakpoint
CREATE TRIGGER authorships_coauthor_edges_on_update AFTER UPDATE ON authorships
  REFERENCING OLD TABLE AS old_authorships NEW TABLE AS new_authorships
  FOR EACH STATEMENT EXECUTE FUNCTION coauthor_edges_move();
--> statement-breakpoint
CREATE TRIGGER works_coauthor_edges_on_year AFTER UPDATE OF year ON works
  FOR EACH ROW WHEN (OLD.year IS DISTINCT FROM NEW.year)
  EXECUTE FUNCTION coauthor_edges_work_year();
--> statement-breakpoint
INSERT INTO coauthor_edges (researcher_id, coauthor_id, joint_works, last_year)
SELECT a.researcher_id, b.researcher_id, count(*)::int, max(w.year)
  FROM authorships a
  JOIN authorships b ON b.work_id = a.work_id AND b.researcher_id <> a.researcher_id
  JOIN works w ON w.id = a.work_id
 GROUP BY a.researcher_id, b.researcher_id;
