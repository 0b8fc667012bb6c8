-- 0004: keyword alerts. Owned by package subscriptions. Timestamps are unix seconds, UTC.

-- One row per alert a chat set with /alert. query is the canonical form of the query (as
-- alerts.Query.String gives it): what is matched and what /alerts shows; key is the same with
-- everything sorted (Query.Key), so the same words in another order are one alert. A chat
-- numbers its alerts 1, 2, 3 … in id order; the numbers are not stored.
CREATE TABLE alerts (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    query      TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (chat_id, key)
) STRICT;
