// Package digest is newsbot's news side: the sources it polls, the stories it keeps, and the
// pipeline between them — fetch (digest/fetch), parse and clean (digest/parse), summarise
// (digest/summary), tag with topics (digest/words), recognise the same news from several outlets
// (clusters), and store in SQLite with a full-text index.
//
// It knows nothing of Telegram or subscribers: the poller reports newly stored stories through a
// callback, and the stories table records which of them still wait to be routed to chats.
package digest
