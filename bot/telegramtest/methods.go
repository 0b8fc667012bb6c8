package telegramtest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-telegram/bot/models"
)

// knownMethods lists the Bot API methods (those go-telegram/bot v1.19.0 calls, plus getUpdates),
// spelled as Telegram documents them. Telegram matches method names case-insensitively.
const knownMethods = `getUpdates setWebhook deleteWebhook getWebhookInfo getMe logOut close
sendMessage forwardMessage forwardMessages copyMessage copyMessages sendPhoto sendAudio sendDocument
sendVideo sendAnimation sendVoice sendVideoNote sendPaidMedia sendMediaGroup sendLocation sendVenue
sendContact sendPoll sendChecklist sendDice sendMessageDraft sendChatAction setMessageReaction
getUserProfilePhotos getUserProfileAudios setUserEmojiStatus getFile banChatMember unbanChatMember
restrictChatMember promoteChatMember setChatAdministratorCustomTitle banChatSenderChat
unbanChatSenderChat setChatPermissions exportChatInviteLink createChatInviteLink editChatInviteLink
createChatSubscriptionInviteLink editChatSubscriptionInviteLink revokeChatInviteLink
approveChatJoinRequest declineChatJoinRequest setChatPhoto deleteChatPhoto setChatTitle
setChatDescription pinChatMessage unpinChatMessage unpinAllChatMessages leaveChat getChat
getChatAdministrators getChatMemberCount getChatMember setChatStickerSet deleteChatStickerSet
getForumTopicIconStickers createForumTopic editForumTopic closeForumTopic reopenForumTopic
deleteForumTopic unpinAllForumTopicMessages editGeneralForumTopic closeGeneralForumTopic
reopenGeneralForumTopic hideGeneralForumTopic unhideGeneralForumTopic
unpinAllGeneralForumTopicMessages answerCallbackQuery getUserChatBoosts getBusinessConnection
setMyCommands deleteMyCommands getMyCommands setMyName getMyName setMyDescription getMyDescription
setMyShortDescription getMyShortDescription setMyProfilePhoto removeMyProfilePhoto
setChatMenuButton getChatMenuButton setMyDefaultAdministratorRights getAvailableGifts sendGift
giftPremiumSubscription verifyUser verifyChat removeUserVerification removeChatVerification
readBusinessMessage deleteBusinessMessages setBusinessAccountName setBusinessAccountUsername
setBusinessAccountBio setBusinessAccountProfilePhoto removeBusinessAccountProfilePhoto
setBusinessAccountGiftSettings getBusinessAccountStarBalance transferBusinessAccountStars
getBusinessAccountGifts getUserGifts getChatGifts convertGiftToStars upgradeGift transferGift
postStory repostStory editStory deleteStory editMessageText editMessageCaption editMessageMedia
editMessageLiveLocation stopMessageLiveLocation editMessageChecklist editMessageReplyMarkup stopPoll
approveSuggestedPost declineSuggestedPost deleteMessage deleteMessages sendSticker getStickerSet
getCustomEmojiStickers uploadStickerFile createNewStickerSet addStickerToSet setStickerPositionInSet
deleteStickerFromSet replaceStickerInSet setStickerEmojiList setStickerKeywords
setStickerMaskPosition setStickerSetTitle setStickerSetThumbnail setCustomEmojiStickerSetThumbnail
deleteStickerSet answerInlineQuery answerWebAppQuery savePreparedInlineMessage sendInvoice
createInvoiceLink answerShippingQuery answerPreCheckoutQuery getMyStarBalance getStarTransactions
refundStarPayment editUserStarSubscription setPassportDataErrors sendGame setGameScore
getGameHighScores`

// methodNames maps a lowercased method name to its documented spelling.
var methodNames = func() map[string]string {
	m := make(map[string]string)
	for _, name := range strings.Fields(knownMethods) {
		m[strings.ToLower(name)] = name
	}
	return m
}()

// lookupMethod returns the documented spelling of a method name, matched case-insensitively.
func lookupMethod(name string) (string, bool) {
	canonical, ok := methodNames[strings.ToLower(name)]
	return canonical, ok
}

// isSendMethod reports whether a method posts a message, so that flood control and the send
// counters apply to it. Edits, deletions and chat actions do not count.
func isSendMethod(method string) bool {
	switch method {
	case "sendChatAction", "sendMessageDraft":
		return false
	case "forwardMessage", "forwardMessages", "copyMessage", "copyMessages":
		return true
	}
	return strings.HasPrefix(method, "send")
}

// dispatchLocked runs a method that passed failure injection and flood control.
func (s *Server) dispatchLocked(method string, p map[string]string) reply {
	switch method {
	case "getMe":
		return okReply(s.bot)
	case "logOut", "close":
		return okReply(true)
	case "sendMessage":
		return s.sendMessageLocked(p)
	case "editMessageText":
		return s.editMessageTextLocked(p)
	case "editMessageReplyMarkup":
		return s.editMessageReplyMarkupLocked(p)
	case "deleteMessage":
		return s.deleteMessageLocked(p)
	case "answerCallbackQuery":
		return s.answerCallbackQueryLocked(p)
	case "sendChatAction":
		return s.sendChatActionLocked(p)
	case "getChat":
		return s.getChatLocked(p)
	case "getChatMember":
		return s.getChatMemberLocked(p)
	case "getChatAdministrators":
		return s.getChatAdministratorsLocked(p)
	case "setMyCommands":
		return s.setMyCommandsLocked(p)
	case "getMyCommands":
		return s.getMyCommandsLocked(p)
	case "deleteMyCommands":
		return s.deleteMyCommandsLocked(p)
	case "setWebhook":
		return s.setWebhookLocked(p)
	case "deleteWebhook":
		return s.deleteWebhookLocked(p)
	case "getWebhookInfo":
		return s.getWebhookInfoLocked()
	}
	return s.unimplementedLocked(method, p)
}

// unimplementedLocked answers a known method the fake does not model, with a result of the
// right shape where that is cheap, else true, and records its name for Unimplemented.
func (s *Server) unimplementedLocked(method string, p map[string]string) reply {
	if !slices.Contains(s.unimplemented, method) {
		s.unimplemented = append(s.unimplemented, method)
	}
	switch method {
	case "copyMessage":
		cs, rep := s.targetChatLocked(p)
		if cs == nil {
			return rep
		}
		return okReply(models.MessageID{ID: s.addBotMessageLocked(cs, method, p).ID})
	case "copyMessages", "forwardMessages":
		cs, rep := s.targetChatLocked(p)
		if cs == nil {
			return rep
		}
		return okReply([]models.MessageID{{ID: s.addBotMessageLocked(cs, method, p).ID}})
	case "sendMediaGroup":
		cs, rep := s.targetChatLocked(p)
		if cs == nil {
			return rep
		}
		return okReply([]*models.Message{s.addBotMessageLocked(cs, method, p)})
	}
	if isSendMethod(method) && method != "sendGift" {
		cs, rep := s.targetChatLocked(p)
		if cs == nil {
			return rep
		}
		return okReply(s.addBotMessageLocked(cs, method, p))
	}
	return jsonReply(http.StatusOK, apiResponse{OK: true, Result: true})
}

// Unimplemented returns, in first-use order, the methods the bot called that the fake answers
// generically (true, or a bare Message for other send methods) instead of modelling them. A test
// can require it to be empty to be sure nothing the bot relies on is faked loosely.
func (s *Server) Unimplemented() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unimplemented)
}
