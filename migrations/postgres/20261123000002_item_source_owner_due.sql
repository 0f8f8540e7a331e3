-- Owner and due date as the markdown names them, so that a change made in the
-- markdown can be told from tracking state set in the database.
ALTER TABLE action_items ADD COLUMN source_owner TEXT;
ALTER TABLE action_items ADD COLUMN source_due TEXT;
