-- 0006: indexes the digest schedule and /stats need at 100,000 chats. Owned by packages
-- subscriptions (chats) and digest (stories).
--
-- Note on digests.day (0005): from this version on it holds the chat's local date and the zone
-- its digest time is kept in ("2026-03-10 Asia/Almaty"), so a chat that moves to another zone
-- starts that zone's days afresh instead of losing one; the schedule keeps 6 hours between two
-- digests of a chat. Rows written before with a bare date match no new key; the 6-hour gap
-- is what keeps a second digest from following one of them on the day of the upgrade.

-- Chats with a digest time of their own, by time and zone: every minute the schedule looks up
-- the chats of each (time, zone) whose moment has come; without this each lookup reads every
-- chat. Partial: the chats on the bot's schedule (most) are found through the primary key.
CREATE INDEX chats_own_digest ON chats (digest_time, timezone, id)
    WHERE active = 1 AND digest_time NOT IN ('', 'off');

-- Stories a day by source (/stats, /sources): a range of first_seen_at, grouped by source.
CREATE INDEX stories_seen_source ON stories (first_seen_at, source_id) WHERE backlog = 0;
