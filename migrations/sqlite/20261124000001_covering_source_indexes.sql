-- Ingest's "what is stored?" query and the index check's counts read a few
-- small columns of every incident; covering indexes answer them without
-- reading the rows, which hold the markdown and the analyzed document.
CREATE INDEX incidents_sources ON incidents (source_path, slug, content_hash, analyzer, status);
CREATE INDEX incidents_status ON incidents (status);
-- A prefix of incidents_sources.
DROP INDEX incidents_source_path;
