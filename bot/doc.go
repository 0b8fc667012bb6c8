// Package bot is newsbot's Telegram edge: it receives updates from the Bot API (long polling),
// answers commands and button presses, renders stories as Telegram HTML and sends them.
//
// It depends inward on digest (stories) and subscriptions (chats, topics, deliveries); nothing
// imports bot but main.
package bot
