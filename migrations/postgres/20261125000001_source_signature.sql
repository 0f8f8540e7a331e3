-- A file's size and times (and inode) when ingest last read it: when they
-- have not changed, the file is known unchanged without reading and hashing
-- it again. NULL until a settled file is read (see src/ingest/signature.rs).
ALTER TABLE incidents ADD COLUMN source_signature TEXT;
-- Ingest's "what is stored?" query reads it with the other columns it covers.
DROP INDEX incidents_sources;
CREATE INDEX incidents_sources ON incidents (source_path, slug, content_hash, analyzer, status, source_signature);
