package telegramtest

import (
	"slices"
	"strconv"

	"github.com/go-telegram/bot/models"
)

// Chat is a chat the bot talks in. An ID the fake has not seen is created on first use with a
// type inferred from it: positive ids are private chats, ids at or below -1000000000000
// (-100…) supergroups, other negative ids basic groups. Channels must be named explicitly.
type Chat struct {
	ID int64
	// Type is "private", "group", "supergroup" or "channel"; "" keeps the known or inferred type.
	Type string
	// Title names a group, supergroup or channel.
	Title string
}

// User is a Telegram user who writes to the bot or presses its buttons.
type User struct {
	ID        int64
	FirstName string // "Test" when empty: Telegram always has a first name
	Username  string // without '@'
	// LanguageCode is the IETF tag of the user's client, e.g. "ru", "kk", "en".
	LanguageCode string
}

// Chat returns the user's private chat with the bot.
func (u User) Chat() Chat { return Chat{ID: u.ID, Type: string(models.ChatTypePrivate)} }

func (u User) model() models.User {
	first := u.FirstName
	if first == "" {
		first = "Test"
	}
	return models.User{ID: u.ID, FirstName: first, Username: u.Username, LanguageCode: u.LanguageCode}
}

// chatState is everything the fake knows of one chat.
type chatState struct {
	chat   models.Chat
	lastID int              // the last message id used in the chat
	msgs   map[int]*message // messages not deleted, the bot's and the users'
	admins []int64          // the first is the creator
}

// message is one message in a chat.
type message struct {
	fromBot  bool
	from     *models.User // author of a user's message
	date     int
	editDate int
	sent     Sent                         // the bot's messages only
	markup   *models.InlineKeyboardMarkup // the bot's inline keyboard, nil if none
	canon    string                       // canonical JSON of the reply markup, for "not modified"
}

func (cs *chatState) nextMessageID() int {
	cs.lastID++
	return cs.lastID
}

func inferChatType(id int64) models.ChatType {
	switch {
	case id > 0:
		return models.ChatTypePrivate
	case id <= -1000000000000:
		return models.ChatTypeSupergroup
	default:
		return models.ChatTypeGroup
	}
}

// chatLocked returns the chat with id, creating it when unknown.
func (s *Server) chatLocked(id int64) *chatState {
	cs, ok := s.chats[id]
	if !ok {
		cs = &chatState{chat: models.Chat{ID: id, Type: inferChatType(id)}, msgs: make(map[int]*message)}
		if u, ok := s.users[id]; ok && cs.chat.Type == models.ChatTypePrivate {
			cs.chat.FirstName, cs.chat.Username = u.FirstName, u.Username
		}
		s.chats[id] = cs
	}
	return cs
}

// registerLocked records what a test says about a chat and a user (nil for none).
func (s *Server) registerLocked(c Chat, from *User) *chatState {
	if from != nil {
		s.users[from.ID] = from.model()
	}
	cs := s.chatLocked(c.ID)
	if c.Type != "" {
		cs.chat.Type = models.ChatType(c.Type)
	}
	if c.Title != "" {
		cs.chat.Title = c.Title
	}
	if cs.chat.Type == models.ChatTypePrivate {
		if u, ok := s.users[c.ID]; ok {
			cs.chat.FirstName, cs.chat.Username = u.FirstName, u.Username
		}
	}
	return cs
}

func (s *Server) isGroupLocked(id int64) bool {
	t := inferChatType(id)
	if cs, ok := s.chats[id]; ok {
		t = cs.chat.Type
	}
	return t == models.ChatTypeGroup || t == models.ChatTypeSupergroup
}

func (s *Server) userLocked(id int64) models.User {
	if id == s.bot.ID {
		return s.bot
	}
	if u, ok := s.users[id]; ok {
		return u
	}
	return User{ID: id}.model()
}

// targetChatLocked resolves a call's chat_id, or returns the error Telegram gives.
func (s *Server) targetChatLocked(p map[string]string) (*chatState, reply) {
	raw, ok := p["chat_id"]
	if !ok || raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return nil, badRequest("chat not found")
	}
	return s.chatLocked(id), reply{}
}

// SetAdmins makes userIDs the administrators of a group or supergroup, replacing any earlier
// list: the first is its creator (getChatMember status "creator"), the others "administrator".
// Everyone else is a "member".
func (s *Server) SetAdmins(chatID int64, userIDs ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).admins = slices.Clone(userIDs)
}

func (s *Server) memberLocked(cs *chatState, userID int64) *models.ChatMember {
	u := s.userLocked(userID)
	switch slices.Index(cs.admins, userID) {
	case -1:
		return &models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &u}}
	case 0:
		return &models.ChatMember{Type: models.ChatMemberTypeOwner, Owner: &models.ChatMemberOwner{User: &u}}
	default:
		return &models.ChatMember{Type: models.ChatMemberTypeAdministrator, Administrator: &models.ChatMemberAdministrator{
			User: u, CanManageChat: true, CanDeleteMessages: true, CanRestrictMembers: true,
			CanChangeInfo: true, CanInviteUsers: true, CanPinMessages: true,
		}}
	}
}

func (s *Server) getChatMemberLocked(p map[string]string) reply {
	cs, rep := s.targetChatLocked(p)
	if cs == nil {
		return rep
	}
	userID := intParam(p, "user_id", 0)
	if userID <= 0 {
		return badRequest("invalid user_id specified")
	}
	return okReply(s.memberLocked(cs, userID))
}

func (s *Server) getChatAdministratorsLocked(p map[string]string) reply {
	cs, rep := s.targetChatLocked(p)
	if cs == nil {
		return rep
	}
	if cs.chat.Type == models.ChatTypePrivate {
		return badRequest("there are no administrators in the private chat")
	}
	admins := make([]*models.ChatMember, 0, len(cs.admins))
	for _, id := range cs.admins {
		admins = append(admins, s.memberLocked(cs, id))
	}
	return okReply(admins)
}

func (s *Server) getChatLocked(p map[string]string) reply {
	cs, rep := s.targetChatLocked(p)
	if cs == nil {
		return rep
	}
	c := cs.chat
	return okReply(models.ChatFullInfo{
		ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username, FirstName: c.FirstName,
	})
}

// BlockBot makes u block the bot: from now on every call for u's private chat is answered 403
// "Forbidden: bot was blocked by the user", and a my_chat_member update (member → kicked) is
// queued, as Telegram sends it.
func (s *Server) BlockBot(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.registerLocked(u.Chat(), &u)
	s.blocked[u.ID] = true
	s.enqueueLocked(models.Update{MyChatMember: s.botMemberChangeLocked(cs, u,
		models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &s.bot}},
		models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{User: &s.bot}})})
}

// UnblockBot undoes BlockBot and queues the my_chat_member update (kicked → member).
func (s *Server) UnblockBot(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.registerLocked(u.Chat(), &u)
	delete(s.blocked, u.ID)
	s.enqueueLocked(models.Update{MyChatMember: s.botMemberChangeLocked(cs, u,
		models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{User: &s.bot}},
		models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &s.bot}})})
}

func (s *Server) botMemberChangeLocked(cs *chatState, by User, old, new models.ChatMember) *models.ChatMemberUpdated {
	return &models.ChatMemberUpdated{
		Chat: cs.chat, From: by.model(), Date: s.now(), OldChatMember: old, NewChatMember: new,
	}
}

// MigrateChat upgrades group from to supergroup to, as Telegram does: every later call for
// from is answered 400 "Bad Request: group chat was upgraded to a supergroup chat" with
// parameters.migrate_to_chat_id; to becomes a supergroup with from's title and admins; and the
// two service messages (migrate_to_chat_id in from, migrate_from_chat_id in to) are queued as
// updates.
func (s *Server) MigrateChat(from, to int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chatLocked(from)
	s.migrated[from] = to
	delete(s.migrated, to)
	sg := s.chatLocked(to)
	sg.chat.Type = models.ChatTypeSupergroup
	if sg.chat.Title == "" {
		sg.chat.Title = old.chat.Title
	}
	if len(sg.admins) == 0 {
		sg.admins = slices.Clone(old.admins)
	}
	var actor *models.User
	if len(old.admins) > 0 {
		u := s.userLocked(old.admins[0])
		actor = &u
	}
	date := s.now()
	s.enqueueLocked(models.Update{Message: &models.Message{
		ID: old.nextMessageID(), From: actor, Date: date, Chat: old.chat, MigrateToChatID: to,
	}})
	s.enqueueLocked(models.Update{Message: &models.Message{
		ID: sg.nextMessageID(), From: actor, Date: date, Chat: sg.chat, MigrateFromChatID: from,
	}})
}
