-- pgvector stores the embeddings; pg_trgm backs the researcher name search.
-- On PostgreSQL, `db/install-pgvector.sh` installs pgvector when this fails.
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
