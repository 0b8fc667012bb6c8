// Package subscriptions is the people side of newsbot: the Telegram chats it serves (private
// chats, groups, supergroups and channels), their interface language and time zone, the topics
// they follow, and the record of which story clusters each chat has been given.
//
// State lives in the SQLite database opened by package migrations (tables of
// 0002_subscriptions.sql). Store is safe for concurrent use: every write goes through the
// database's single writer connection, in one transaction per method. Errors callers act on are
// the sentinel ErrX values, wrapped with %w; the bot turns them into sentences for users.
package subscriptions
