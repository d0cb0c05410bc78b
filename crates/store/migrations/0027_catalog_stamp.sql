-- The catalog's stamp: one number that every change to the terms, products, plans or billing
-- settings moves on, by the triggers below, in the changing transaction. A statement that reads
-- what the catalog prices carries it as a column, so that a page checks its cached catalog
-- without a round trip of its own. It replaces seven aggregates over the four tables, which
-- PostgreSQL set up and ran again on every such statement.
CREATE TABLE catalog_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO catalog_stamp (id, stamp) VALUES (1, 1);

--@ sqlite
CREATE TRIGGER terms_stamp_insert AFTER INSERT ON terms BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER terms_stamp_update AFTER UPDATE ON terms BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER terms_stamp_delete AFTER DELETE ON terms BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER products_stamp_insert AFTER INSERT ON products BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER products_stamp_update AFTER UPDATE ON products BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER products_stamp_delete AFTER DELETE ON products BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER plans_stamp_insert AFTER INSERT ON plans BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER plans_stamp_update AFTER UPDATE ON plans BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER plans_stamp_delete AFTER DELETE ON plans BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER billing_settings_stamp_insert AFTER INSERT ON billing_settings BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER billing_settings_stamp_update AFTER UPDATE ON billing_settings BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
CREATE TRIGGER billing_settings_stamp_delete AFTER DELETE ON billing_settings BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; END;
--@ end
--@ postgres
CREATE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE catalog_stamp SET stamp = stamp + 1 WHERE id = 1; RETURN NULL; END;
$$;
CREATE TRIGGER terms_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON terms FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER products_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER plans_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER billing_settings_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON billing_settings FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
--@ end
