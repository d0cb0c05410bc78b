-- The search finds names written together ("devries" for "De Vries") and services by the words
-- of their label ("rossiweb.it" for vps.rossiweb.it). The cards' words are made again, with the
-- joined ones, and every service gets its words: both by the program right after this
-- migration (`Store::migrate`), as the words are folded by Rust code that SQL cannot repeat.
DELETE FROM search_words WHERE kind = 'customer';
-- The services' label index served only the search's label prefix, which the words replace.
DROP INDEX subscriptions_label;
