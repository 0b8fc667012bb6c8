-- 0001: the news pipeline: sources' polling state, stories, their topics and a full-text index.
-- Timestamps are unix seconds, UTC.

-- One row per configured source, created on its first poll. Holds what the poller must remember
-- between runs: HTTP validators, whether the backlog has been seeded, and health for admins.
CREATE TABLE sources (
    id              TEXT    NOT NULL PRIMARY KEY,
    etag            TEXT    NOT NULL DEFAULT '',
    last_modified   TEXT    NOT NULL DEFAULT '',
    seeded          INTEGER NOT NULL DEFAULT 0,  -- 1 once a poll succeeded: later items are news, not backlog
    last_poll_at    INTEGER NOT NULL DEFAULT 0,
    last_success_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '', -- in words, for people ("HTTP 503 Service Unavailable")
    last_error_kind TEXT    NOT NULL DEFAULT '', -- short stable word ("timeout", "status", "html")
    last_error_at   INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls; 0 when healthy
    next_poll_at    INTEGER NOT NULL DEFAULT 0,  -- no poll before this (backoff, Retry-After, Cache-Control, ttl)
    ttl_seconds     INTEGER NOT NULL DEFAULT 0,  -- the feed's RSS <ttl>, remembered across 304 answers
    stories_total   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One row per feed item ever stored. An item is identified within its source by item_key
-- (GUID, else canonical link, else a hash). Stories that report the same news from several
-- outlets share cluster_id, the id of the cluster's first story.
CREATE TABLE stories (
    -- AUTOINCREMENT: an id is never reused, even after the newest story is deleted, so that
    -- deliveries and buttons that name a story id never come to mean another story.
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    source_id     TEXT    NOT NULL,
    item_key      TEXT    NOT NULL,
    cluster_id    INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL,
    link          TEXT    NOT NULL,
    published_at  INTEGER NOT NULL,
    first_seen_at INTEGER NOT NULL,
    language      TEXT    NOT NULL,
    backlog       INTEGER NOT NULL DEFAULT 0, -- stored by a source's first poll: searchable, never pushed
    routed_at     INTEGER NOT NULL DEFAULT 0, -- when deliveries were decided for it; 0 = still to route
    UNIQUE (source_id, item_key)
) STRICT;
CREATE INDEX stories_cluster ON stories (cluster_id);
CREATE INDEX stories_published ON stories (published_at);
CREATE INDEX stories_first_seen ON stories (first_seen_at);
CREATE INDEX stories_link ON stories (link);
CREATE INDEX stories_unrouted ON stories (routed_at) WHERE routed_at = 0;

CREATE TABLE story_topics (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    topic_id TEXT    NOT NULL,
    PRIMARY KEY (story_id, topic_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_topics_topic ON story_topics (topic_id, story_id);

-- Full-text search over title and summary. unicode61 folds case for Cyrillic and Latin alike and
-- strips Latin diacritics, but treats ё as its own letter: the triggers index ё as е, and search
-- queries fold ё the same way. Because the indexed text differs from the stored text, the index
-- is contentless (it keeps no copy of the text; results are joined with stories by rowid) with
-- contentless_delete so rows can still be removed. To rebuild it, delete all its rows and insert
-- the folded title and summary of every story again.
CREATE VIRTUAL TABLE stories_fts USING fts5 (
    title, summary,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, title, summary)
    VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.summary, 'ё', 'е'), 'Ё', 'Е'));
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    DELETE FROM stories_fts WHERE rowid = old.id;
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, summary ON stories BEGIN
    DELETE FROM stories_fts WHERE rowid = old.id;
    INSERT INTO stories_fts (rowid, title, summary)
    VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.summary, 'ё', 'е'), 'Ё', 'Е'));
END;
