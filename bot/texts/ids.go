package texts

// Message ids. Each constant names one message of the catalogues; its comment gives the English
// text in short and the data keys its template reads. Keys not passed render as "" (so optional
// parts such as {{if .Name}} disappear); values are escaped as Catalog.T describes. Messages
// marked "plural" are rendered with Catalog.N, which also sets Count.
//
// Button labels and callback-query answers are plain text in Telegram: render them with T and
// pass the result through Plain.
const (
	// Welcome is the reply to /start: who the bot is, that /start alone subscribes to nothing,
	// and to pick topics below. Data: Name (the user's first name, may be empty).
	Welcome = "welcome"
	// Help lists every subscriber command, one line each. No data.
	Help = "help"
	// HelpAdmin lists the admin commands; show it, after Help, to admins only. No data.
	HelpAdmin = "help_admin"
	// UnknownCommand: "I don't know /{Command}. /help lists what I can do." Data: Command
	// (without the slash).
	UnknownCommand = "unknown_command"
	// PlainTextHint answers a message that is not a command: try /search words or /topics.
	PlainTextHint = "plain_text_hint"
	// ErrorGeneric: something went wrong, please try again.
	ErrorGeneric = "error_generic"
	// ErrorRateLimited: too many requests, slow down.
	ErrorRateLimited = "error_rate_limited"
	// ButtonExpired answers a callback from a button that no longer applies.
	ButtonExpired = "button_expired"
	// AdminOnly politely refuses an admin command to others. Data: Command (without the slash).
	AdminOnly = "admin_only"
	// AdminPrivateOnly: admin commands work in a private chat with the bot, not in a group or
	// channel, whose members would see the answers. Data: Command (without the slash).
	AdminPrivateOnly = "admin_private_only"

	// GroupAdminsOnly: only this group's admins can change its subscriptions and settings.
	GroupAdminsOnly = "group_admins_only"
	// GroupWelcome greets a group the bot was added to: news on the topics its admins choose.
	GroupWelcome = "group_welcome"
	// ChannelWelcome greets a channel: news on the topics its admins choose; subscribers see the
	// commands posted there.
	ChannelWelcome = "channel_welcome"

	// TopicsHeader heads the topic picker (inline buttons that toggle, ✅ marks the chosen).
	TopicsHeader = "topics_header"
	// TopicsNoneConfigured: the bot has no topics configured.
	TopicsNoneConfigured = "topics_none_configured"
	// TopicsYours: "Your topics: {List}." Data: List.
	TopicsYours = "topics_yours"
	// TopicsNone: you have no topics yet, choose some with /topics.
	TopicsNone = "topics_none"
	// Subscribed: "Subscribed to {Topic}." Data: Topic (its title).
	Subscribed = "subscribed"
	// Unsubscribed: "Unsubscribed from {Topic}." Data: Topic.
	Unsubscribed = "unsubscribed"
	// AlreadySubscribed: "You're already subscribed to {Topic}." Data: Topic.
	AlreadySubscribed = "already_subscribed"
	// NotSubscribed: "You weren't subscribed to {Topic}." Data: Topic.
	NotSubscribed = "not_subscribed"
	// TopicUnknown: "I don't know the topic {Name}. Topics are: {List}." Data: Name (what the
	// user typed), List (the topic ids to choose from).
	TopicUnknown = "topic_unknown"
	// SubscribeUsage: /subscribe needs a topic, e.g. /subscribe {Example}. Data: Example (a
	// topic id), List (the topic ids).
	SubscribeUsage = "subscribe_usage"
	// UnsubscribeUsage: /unsubscribe needs a topic, e.g. /unsubscribe {Example}. Data: Example,
	// List (the chat's topic ids).
	UnsubscribeUsage = "unsubscribe_usage"

	// LatestHeader heads the /latest reply: "Latest on your topics".
	LatestHeader = "latest_header"
	// LatestEmpty: nothing yet on your topics.
	LatestEmpty = "latest_empty"
	// SearchFound (plural): "Found {Count} stories for “{Query}”". Data: Query.
	SearchFound = "search_found"
	// SearchEmpty: "Nothing found for “{Query}”." Data: Query.
	SearchEmpty = "search_empty"
	// SearchUsage: /search needs words, e.g. /search уран.
	SearchUsage = "search_usage"
	// QueryTooLong (plural): a /search or /alert query is too long; Count is the maximum length
	// in characters.
	QueryTooLong = "query_too_long"

	// AlertUsage: /alert needs a query; explains the query syntax.
	AlertUsage = "alert_usage"
	// AlertAdded: "Alert #{Number} set: “{Query}”." Data: Number, Query.
	AlertAdded = "alert_added"
	// AlertRecent (plural): how many stories from the last 24 hours already match a new alert.
	AlertRecent = "alert_recent"
	// AlertExists: you already have an alert for “{Query}”. Data: Query.
	AlertExists = "alert_exists"
	// AlertLimit (plural): at most Count alerts; delete one with /unalert first.
	AlertLimit = "alert_limit"
	// AlertInvalid: the query cannot be used; shows the syntax.
	AlertInvalid = "alert_invalid"
	// AlertsHeader (plural): "You have {Count} alerts", heading the /alerts list.
	AlertsHeader = "alerts_header"
	// AlertsEmpty: you have no alerts; set one with /alert.
	AlertsEmpty = "alerts_empty"
	// AlertDeleteButton labels an alert's delete button: "🗑 Delete {Number}". Data: Number.
	AlertDeleteButton = "alert_delete_button"
	// AlertDeleted: "Alert “{Query}” deleted." Data: Query.
	AlertDeleted = "alert_deleted"
	// UnalertUsage: /unalert needs the alert's number from /alerts.
	UnalertUsage = "unalert_usage"
	// UnalertUnknown: "There is no alert {Number}." Data: Number (as the user typed it).
	UnalertUnknown = "unalert_unknown"

	// DigestHeader heads a digest: "Your digest · {Date}". Data: Date (formatted by the caller).
	DigestHeader = "digest_header"
	// DigestEmpty: nothing new on your topics since your last digest.
	DigestEmpty = "digest_empty"
	// DigestTimeSet: "Your digest will come every day at {Time} ({TZ})." Data: Time, TZ.
	DigestTimeSet = "digest_time_set"
	// DigestOff: the daily digest is off; /digest HH:MM turns it back on.
	DigestOff = "digest_off"
	// DigestTimeInvalid: "“{Value}” isn't a time; use HH:MM or off." Data: Value.
	DigestTimeInvalid = "digest_time_invalid"

	// DigestOn: the digest comes with everyone's, every day at {Time} ({TZ}). Data: Time, TZ.
	DigestOn = "digest_on"
	// DigestUsage explains /digest, /digest HH:MM, off and on. Data: TZ (the chat's zone), Time
	// (the bot's digest time in it), Current (the chat's setting in words, may be empty).
	DigestUsage = "digest_usage"
	// DigestPinned (plural): the heading of the stories admins pinned: "📌 Top stories". Plain
	// text.
	DigestPinned = "digest_pinned"

	// ModeInstant: stories on your topics come as soon as they are published.
	ModeInstant = "mode_instant"
	// ModeDigest: stories come only in the daily digest (at {Time}); alerts stay instant. Data:
	// Time (may be empty).
	ModeDigest = "mode_digest"
	// ModeUsage explains /mode instant and /mode digest.
	ModeUsage = "mode_usage"

	// TimezoneSet: "Time zone set to {TZ}; your time is now {Time}." Data: TZ, Time.
	TimezoneSet = "timezone_set"
	// TimezoneUnknown: "I don't know the time zone “{TZ}”; use an IANA name such as
	// Asia/Almaty." Data: TZ.
	TimezoneUnknown = "timezone_unknown"
	// TimezoneUsage: /timezone needs a name. Data: TZ (the current zone, may be empty).
	TimezoneUsage = "timezone_usage"

	// LanguageSet confirms /language in the newly chosen language ("Interface language:
	// English."). No data: each catalogue names its own language.
	LanguageSet = "language_set"
	// LanguageUnknown: unknown language; choose ru, kk or en.
	LanguageUnknown = "language_unknown"
	// LanguageUsage explains /language ru|kk|en.
	LanguageUsage = "language_usage"
	// LanguageName is the catalogue's own language as its speakers write it ("Русский",
	// "Қазақша", "English"), for language buttons: T(code, LanguageName, nil).
	LanguageName = "language_name"

	// StopConfirm asks whether to stop everything and delete the chat's data.
	StopConfirm = "stop_confirm"
	// StopYes labels the confirming button of StopConfirm.
	StopYes = "stop_yes"
	// StopNo labels the cancelling button of StopConfirm.
	StopNo = "stop_no"
	// StopDone: all your subscriptions and settings are deleted; /start to begin again.
	StopDone = "stop_done"
	// StopCancelled: cancelled, nothing was deleted.
	StopCancelled = "stop_cancelled"

	// ReadMore labels a story's link.
	ReadMore = "read_more"
	// BundleHeader (plural) heads a message bundling several stories: "{Count} new stories".
	BundleHeader = "bundle_header"
	// AlsoReported: "Also reported by {Sources}." Data: Sources (names, or HTML links).
	AlsoReported = "also_reported"

	// BroadcastUsage: /broadcast needs the text to send.
	BroadcastUsage = "broadcast_usage"
	// BroadcastPreview (plural) asks under the preview: send it to Count chats?
	BroadcastPreview = "broadcast_preview"
	// BroadcastSend labels the preview's send button.
	BroadcastSend = "broadcast_send"
	// BroadcastCancel labels the preview's cancel button.
	BroadcastCancel = "broadcast_cancel"
	// BroadcastCancelled: broadcast cancelled, nothing sent.
	BroadcastCancelled = "broadcast_cancelled"
	// BroadcastStarted (plural): sending to Count chats.
	BroadcastStarted = "broadcast_started"
	// BroadcastDone: the broadcast's totals. Data: Sent, Total, Blocked (blocked the bot or left),
	// Failed.
	BroadcastDone = "broadcast_done"
	// BroadcastProgress: "Broadcast: sent {Sent} of {Total}…", edited as it goes. Data: Sent, Total.
	BroadcastProgress = "broadcast_progress"
	// BroadcastEmpty: there is no active chat to broadcast to.
	BroadcastEmpty = "broadcast_empty"
	// SendDigestStarted (plural): sending the digest to Count chats.
	SendDigestStarted = "senddigest_started"
	// SendDigestProgress: "Digest: sent {Sent} of {Total}…". Data: Sent, Total (messages).
	SendDigestProgress = "senddigest_progress"
	// SendDigestDone: the /senddigest totals. Data: Sent, Total, Blocked, Failed.
	SendDigestDone = "senddigest_done"
	// SendDigestNone: every chat has had today's digest already.
	SendDigestNone = "senddigest_none"
	// PinUsage: /pin needs a story's link or id.
	PinUsage = "pin_usage"
	// PinDone: "Pinned “{Title}” (story {ID})." Data: Title, ID.
	PinDone = "pin_done"
	// PinUnknown: no story for “{Ref}”. Data: Ref (what the admin typed).
	PinUnknown = "pin_unknown"
	// PinList heads the stories pinned for the next digest.
	PinList = "pin_list"
	// UnpinDone: "Unpinned “{Title}”." Data: Title.
	UnpinDone = "unpin_done"
	// UnpinNone: that story isn't pinned.
	UnpinNone = "unpin_none"
	// Stats is the /stats report. Data: Chats (active), Types (active chats by type, in words),
	// Blocked (inactive), Languages, Topics (subscribers per topic), Scheduled, OwnTime,
	// DigestOff (chats by digest time), DigestOnly (chats in digest mode), Alerts,
	// StoriesToday, Stories (last 24 hours), Queue (waiting messages by kind), Sent, Failed,
	// Dropped (last 24 hours), Sources, Failing. Lists come formatted by the caller.
	Stats = "stats"
	// SourcesHeader heads the /sources report.
	SourcesHeader = "sources_header"
	// SourcesNone: no sources are configured.
	SourcesNone = "sources_none"
	// SourceOK is a healthy source's line. Data: Source, Time (last success), PerDay (stories a
	// day), Next (next poll).
	SourceOK = "source_ok"
	// SourceFailing is a failing source's line. Data: Source, Error (the last, in words),
	// Failures (in a row), LastOK (last success, or a dash), PerDay, Next.
	SourceFailing = "source_failing"
	// SourceWaiting is the line of a source not polled yet. Data: Source, Next.
	SourceWaiting = "source_waiting"
	// MenuStart describes /start in Telegram's command menu (plain text).
	MenuStart = "menu_start"
	// MenuTopics describes /topics in Telegram's command menu (plain text).
	MenuTopics = "menu_topics"
	// MenuSubscribe describes /subscribe in Telegram's command menu (plain text).
	MenuSubscribe = "menu_subscribe"
	// MenuUnsubscribe describes /unsubscribe in Telegram's command menu (plain text).
	MenuUnsubscribe = "menu_unsubscribe"
	// MenuLatest describes /latest in Telegram's command menu (plain text).
	MenuLatest = "menu_latest"
	// MenuSearch describes /search in Telegram's command menu (plain text).
	MenuSearch = "menu_search"
	// MenuTimezone describes /timezone in Telegram's command menu (plain text).
	MenuTimezone = "menu_timezone"
	// MenuLanguage describes /language in Telegram's command menu (plain text).
	MenuLanguage = "menu_language"
	// MenuStop describes /stop in Telegram's command menu (plain text).
	MenuStop = "menu_stop"
	// MenuHelp describes /help in Telegram's command menu (plain text).
	MenuHelp = "menu_help"
	// MenuDigest describes /digest in Telegram's command menu (plain text).
	MenuDigest = "menu_digest"
)

// allIDs is every message id the code knows; the English catalogue must hold exactly these.
var allIDs = []string{
	Welcome, Help, HelpAdmin, UnknownCommand, PlainTextHint, ErrorGeneric, ErrorRateLimited,
	ButtonExpired, AdminOnly, AdminPrivateOnly,
	GroupAdminsOnly, GroupWelcome, ChannelWelcome,
	TopicsHeader, TopicsNoneConfigured, TopicsYours, TopicsNone, Subscribed, Unsubscribed,
	AlreadySubscribed, NotSubscribed, TopicUnknown, SubscribeUsage, UnsubscribeUsage,
	LatestHeader, LatestEmpty, SearchFound, SearchEmpty, SearchUsage, QueryTooLong,
	AlertUsage, AlertAdded, AlertRecent, AlertExists, AlertLimit, AlertInvalid, AlertsHeader, AlertsEmpty,
	AlertDeleteButton, AlertDeleted, UnalertUsage, UnalertUnknown,
	DigestHeader, DigestEmpty, DigestTimeSet, DigestOff, DigestTimeInvalid, DigestOn, DigestUsage, DigestPinned,
	ModeInstant, ModeDigest, ModeUsage,
	TimezoneSet, TimezoneUnknown, TimezoneUsage,
	LanguageSet, LanguageUnknown, LanguageUsage, LanguageName,
	StopConfirm, StopYes, StopNo, StopDone, StopCancelled,
	ReadMore, BundleHeader, AlsoReported,
	BroadcastUsage, BroadcastPreview, BroadcastSend, BroadcastCancel, BroadcastCancelled,
	BroadcastStarted, BroadcastDone, BroadcastProgress, BroadcastEmpty,
	SendDigestStarted, SendDigestProgress, SendDigestDone, SendDigestNone,
	PinUsage, PinDone, PinUnknown, PinList, UnpinDone, UnpinNone,
	Stats, SourcesHeader, SourcesNone, SourceOK, SourceFailing, SourceWaiting,
	MenuStart, MenuTopics, MenuSubscribe, MenuUnsubscribe, MenuLatest, MenuSearch, MenuTimezone,
	MenuLanguage, MenuStop, MenuHelp, MenuDigest,
}
