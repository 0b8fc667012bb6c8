-- 0003: the outbox: every message the bot decided to send, written in the same transaction as
-- the decision, and drained by the delivery engine. Owned by package subscriptions (writes) and
-- bot (drains). Timestamps are unix seconds, UTC.
--
-- A row's life: queued → sending (claimed, attempts+1; the Telegram call is in flight) → sent
-- (message_id recorded) | queued again with not_before (429, 5xx, network) | failed (gave up
-- after repeated server errors) | dropped (the chat blocked the bot, was deleted, said /stop is
-- handled by the cascade). A crash leaves rows in 'sending': at start they are queued again, so
-- a message whose Telegram answer came but whose commit did not is sent twice — at most once
-- more per in-flight send.
CREATE TABLE outbox (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,            -- push, alert, digest, broadcast, reply
    class       INTEGER NOT NULL,            -- priority, highest first: 0 reply, 1 alert, 2 push, 3 bulk
    story_id    INTEGER NOT NULL DEFAULT 0,  -- a story rendered at send time (push, alert); 0 for texts
    text        TEXT    NOT NULL DEFAULT '', -- pre-rendered Telegram HTML (broadcast); '' for stories
    state       TEXT    NOT NULL DEFAULT 'queued',
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL DEFAULT 0,  -- not sent before this (a 429's retry_after, backoff)
    message_id  INTEGER NOT NULL DEFAULT 0,  -- Telegram's id once sent
    error       TEXT    NOT NULL DEFAULT '', -- the last failure in words; why it was dropped
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
-- The dispatcher's scan: due messages by class and age.
CREATE INDEX outbox_due ON outbox (class, id) WHERE state = 'queued';
-- A chat's own queue, and whether a send to it is in flight.
CREATE INDEX outbox_chat ON outbox (chat_id, state, class, id);
-- Counting and pruning what was sent.
CREATE INDEX outbox_updated ON outbox (state, updated_at);
