-- A document's file, once written, is what was sent: the database refuses to change or remove
-- it, as it does for the document itself (0003).
--@ sqlite
CREATE TRIGGER document_files_frozen BEFORE UPDATE ON document_files
BEGIN SELECT RAISE(ABORT, 'a document file cannot be changed: it is what was sent'); END;
CREATE TRIGGER document_files_kept BEFORE DELETE ON document_files
BEGIN SELECT RAISE(ABORT, 'a document file cannot be deleted: it is what was sent'); END;
--@ end
--@ postgres
CREATE FUNCTION document_files_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'a document file cannot be changed or deleted: it is what was sent'; END;
$$;
CREATE TRIGGER document_files_frozen BEFORE UPDATE OR DELETE ON document_files
FOR EACH ROW EXECUTE FUNCTION document_files_immutable();
--@ end
