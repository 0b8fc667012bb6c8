-- 0005: the morning digest, admins' bulk sends (broadcasts, /senddigest), pinned stories and the
-- admins' audit trail. Timestamps are unix seconds, UTC.

-- A chat's digest settings (package subscriptions). digest_time: '' = the bot's digest.schedule,
-- 'HH:MM' = every day at that time in the chat's own zone (/digest HH:MM), 'off' = no digest.
-- digest_changed_at is when digest_time last changed: a time set at 10:00 for 08:30 does not
-- make the 08:30 digest that has just been missed go out at once. mode: 'instant' pushes topic
-- stories as they arrive; 'digest' keeps them for the digest (alerts are always instant).
ALTER TABLE chats ADD COLUMN digest_time TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN digest_changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN mode TEXT NOT NULL DEFAULT 'instant' CHECK (mode IN ('instant', 'digest'));

-- One row per digest decided for a chat (package subscriptions), written in the transaction
-- that queues its messages: the primary key is what makes a chat's digest for a day go out at
-- most once, across restarts and whoever asked (the schedule, /senddigest). day is the chat's
-- local date (YYYY-MM-DD) in the zone its digest time is kept in. The digest covered stories
-- first seen in [since, until): the next one starts at this one's until.
CREATE TABLE digests (
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    day        TEXT    NOT NULL,
    since      INTEGER NOT NULL,
    until      INTEGER NOT NULL,
    stories    INTEGER NOT NULL, -- how many stories it carried; 0 = a quiet day
    messages   INTEGER NOT NULL, -- how many messages it was split into (0: a quiet day, nothing sent)
    decided_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX digests_decided ON digests (decided_at);

-- Texts shared by many outbox rows (package subscriptions): a broadcast goes to every chat and
-- chats with the same topics and language get the same digest, so the text is stored once and
-- rows point at it with outbox.text_id. hash is the text's SHA-256, hex.
CREATE TABLE outbox_texts (
    id   INTEGER NOT NULL PRIMARY KEY,
    hash TEXT    NOT NULL UNIQUE,
    text TEXT    NOT NULL
) STRICT;
ALTER TABLE outbox ADD COLUMN text_id INTEGER NOT NULL DEFAULT 0; -- outbox_texts.id; 0 = outbox.text or a story
ALTER TABLE outbox ADD COLUMN run_id INTEGER NOT NULL DEFAULT 0;  -- runs.id of the bulk send it belongs to; 0 = none
CREATE INDEX outbox_run ON outbox (run_id, state) WHERE run_id > 0;

-- Bulk sends an admin starts (package subscriptions): a broadcast (a draft until its Send button
-- is pressed) or a /senddigest. Its progress is counted from its outbox rows and reported by
-- editing progress_message_id in the admin's chat, also after a restart.
CREATE TABLE runs (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind                TEXT    NOT NULL,            -- broadcast, digest
    admin_id            INTEGER NOT NULL,            -- the admin's Telegram user id
    admin_chat_id       INTEGER NOT NULL,            -- where progress is reported
    text                TEXT    NOT NULL DEFAULT '', -- a broadcast's Telegram HTML, as previewed
    state               TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'sending', 'done', 'cancelled')),
    total               INTEGER NOT NULL DEFAULT 0,  -- messages queued when it started
    progress_message_id INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    started_at          INTEGER NOT NULL DEFAULT 0,
    finished_at         INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runs_state ON runs (state) WHERE state IN ('draft', 'sending');

-- Stories an admin put at the top of the next digest with /pin (package digest). A chat's
-- digest carries the pins made in the window it covers, so each pin leads every chat's next
-- digest once. No foreign key: a pin of a pruned story is skipped.
CREATE TABLE pins (
    story_id  INTEGER NOT NULL PRIMARY KEY,
    admin_id  INTEGER NOT NULL,
    pinned_at INTEGER NOT NULL
) STRICT;
CREATE INDEX pins_at ON pins (pinned_at);

-- What admins did, and what others tried (package subscriptions): one row per admin command.
CREATE TABLE audit (
    id      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    user_id INTEGER NOT NULL, -- who: a Telegram user id
    chat_id INTEGER NOT NULL, -- where
    action  TEXT    NOT NULL, -- the command or button: broadcast, broadcast_send, senddigest, pin, …
    detail  TEXT    NOT NULL DEFAULT '', -- its argument, clipped
    outcome TEXT    NOT NULL  -- done, refused (not an admin), failed, cancelled, …
) STRICT;
CREATE INDEX audit_at ON audit (at);
