// Package bot is newsbot's Telegram edge: it receives updates from the Bot API (long polling or
// a webhook), answers commands and button presses, renders stories and digests as Telegram HTML
// and sends them through the delivery engine, and runs the digest schedule and admins' tools.
//
// It depends inward on digest (stories) and subscriptions (chats, topics, deliveries); nothing
// imports bot but main.
package bot
