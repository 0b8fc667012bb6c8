// Package pace decides which outgoing Telegram message may be sent now, and when the next one
// could be, under Telegram's limits: a global rate over all chats, a pace per chat, a per-minute
// cap per group or channel, and the pauses Telegram orders with 429 replies. It keeps no queue
// and does no I/O: the delivery engine owns the durable outbox and asks a Pacer.
//
// # Protocol
//
// The dispatcher loops:
//
//  1. Build a bounded candidate list: per class, the oldest queued messages (a few hundred),
//     best one per chat (the chat's oldest in that class, so a chat's messages keep their
//     order), leaving out chats known not to be ready: ChatReadyAt tells, and after a 429 it
//     is worth keeping as a not-before time on the chat's rows so the query skips them.
//     Leaving those out matters: candidates that cannot go hide sendable messages behind them.
//  2. Call Take. If it returns ok, send that message now; its budget is already spent. If not,
//     sleep for the returned wait, or less if new messages arrive (a new Alert must not sleep
//     behind a Bulk wait). A zero wait with ok false means there were no candidates.
//  3. On a 429, keep the message queued and call Throttled with the chat and retry_after; use
//     chat 0 when Telegram says the whole bot is limited. Several chats throttled within a
//     second pause everything too, because that is what a global flood looks like from here.
//
// Next and Sent split Take in two for a dispatcher that must do something between choosing and
// sending (claiming the row, say) and may then decide not to send. Between them the budget is
// not reserved, so only one goroutine may use that pair; Take is safe from any number.
//
// A send that fails (5xx, network) still counts: Telegram may have counted it too.
//
// A command reply sent directly rather than through the outbox shares the same limits by
// looping on Take with the reply as the only candidate, sleeping for the wait in between.
//
// # Guarantees
//
// For sends chosen by Take (or by Next and recorded with Sent straight away): never more than
// Limits.Global sends (PaidBulk for paid Bulk) in any one-second window, and never more than
// Limits.GroupPerMinute to one group or channel in any 60-second window, however late or early
// the dispatcher calls. Within those, sends are spread evenly rather than bunched
// at the start of each second, so a message of a higher class waits for at most about one
// send interval (1/Global s) behind any amount of Bulk. Priority is by class (Reply, Alert,
// Push, Bulk), then by age, then by Item.ID; a candidate that cannot go yet never holds back
// one that can.
//
// All times come from the clock given to New, so a fake clock makes every decision
// reproducible. State about a chat is forgotten once it no longer affects any decision, so
// memory follows the chats sent to in the last minute or so, not the number of chats.
//
// Pauses and per-chat state live in memory only: after a restart, a chat still under a 429 may
// draw one more 429, which then pauses it again.
package pace
