-- 0002: the people: chats, their settings and topics, and which story clusters each was sent.
-- Timestamps are unix seconds, UTC. Owned by package subscriptions.

-- One row per Telegram chat the bot knows: a user's private chat, a group, a supergroup or a
-- channel. /stop deletes the row, and with it (ON DELETE CASCADE) everything else about the chat,
-- so a chat that comes back starts fresh. A chat the bot can no longer reach (403: blocked,
-- kicked, deleted) keeps its row and topics but is marked inactive until it says /start again.
-- No CHECK on type: should Telegram add a chat type, only Go code has to learn it, not a table
-- rebuild.
CREATE TABLE chats (
    id              INTEGER NOT NULL PRIMARY KEY, -- Telegram's: users > 0, groups < 0, supergroups and channels -100…
    type            TEXT    NOT NULL,             -- private, group, supergroup or channel, as Telegram last said
    title           TEXT    NOT NULL DEFAULT '',  -- group or channel title, a user's name; for people reading /stats and logs
    language        TEXT    NOT NULL DEFAULT '',  -- interface language chosen with /language; '' = not chosen
    language_code   TEXT    NOT NULL DEFAULT '',  -- the sender's language_code as Telegram last sent it: the guess until one is chosen
    timezone        TEXT    NOT NULL DEFAULT '',  -- IANA name chosen with /timezone; '' = the bot's default
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), -- 0: nothing is sent to it
    inactive_reason TEXT    NOT NULL DEFAULT '',  -- why it is inactive ("blocked", "kicked"); '' while active
    inactive_since  INTEGER NOT NULL DEFAULT 0,   -- when it became inactive, so long-dead chats can be pruned; 0 while active
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL              -- last change to this row or the chat's topics
) STRICT;

-- The topics a chat follows. topic_id is a configured topic's id; a topic later removed from the
-- configuration leaves its rows behind, ignored, so that restoring it restores its subscribers.
CREATE TABLE chat_topics (
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    topic_id   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, topic_id)
) STRICT, WITHOUT ROWID;
-- Routing starts from a story's topics and looks up their subscribers; covering, so the lookup
-- never touches the table.
CREATE INDEX chat_topics_topic ON chat_topics (topic_id, chat_id);

-- Which story of a cluster each chat was given, decided before anything is sent: the primary key
-- is what makes a story reach a chat at most once per cluster, however many of its topics match
-- and however many outlets report it, across restarts. cluster_id and story_id are stories.id
-- values (0001) without a foreign key: stories may be pruned before these rows are.
CREATE TABLE deliveries (
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL,
    story_id   INTEGER NOT NULL,
    decided_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, cluster_id)
) STRICT, WITHOUT ROWID;
-- Pruning removes rows older than the clustering window by age; without this it would scan them all.
CREATE INDEX deliveries_decided ON deliveries (decided_at);
