package words

import (
	"strings"
	"unicode/utf8"
)

// The Kazakh rule recognises a word as a keyword root plus a chain of real Kazakh suffixes. Each
// suffix is listed in every allomorph: vowel harmony gives back (а, ы) and front (е, і) pairs, and the
// first consonant assimilates to the sound before it (plural -лар after vowels, -дар after л м н ң ж
// з, -тар after voiceless consonants). Checking the sound keeps real words out that only look like a
// root plus suffix: қалады "remains" is not қала "city" + accusative, which after a vowel is -ны.

// sound is a set of classes of the sound a suffix may follow.
type sound uint8

const (
	sndVowel     sound = 1 << iota
	sndSon             // р й, and у и after a vowel
	sndL               // л
	sndNasal           // м н ң
	sndZ               // ж з
	sndVoiceless       // к қ п с т ф х ц ч ш щ һ, and the loan-word finals б в г ғ д
)

const (
	sndCons   = sndSon | sndL | sndNasal | sndZ | sndVoiceless
	sndVoiced = sndVowel | sndSon | sndL | sndNasal | sndZ
	sndAny    = sndVoiced | sndVoiceless
)

// soundOf classifies a folded Cyrillic rune. и and у are vowels after a consonant and glides after
// a vowel (тау → таудың), so they count as both and either allomorph is accepted.
func soundOf(r rune) sound {
	switch r {
	case 'а', 'ә', 'е', 'о', 'ө', 'ұ', 'ү', 'ы', 'і', 'э', 'ю', 'я':
		return sndVowel
	case 'и', 'у':
		return sndVowel | sndSon
	case 'р', 'й':
		return sndSon
	case 'л':
		return sndL
	case 'м', 'н', 'ң':
		return sndNasal
	case 'ж', 'з':
		return sndZ
	}
	return sndVoiceless
}

// lastSound is the sound class of the last letter of s, looking through the soft and hard signs of
// loan words (Кремль → Кремльдің, after л).
func lastSound(s string) sound {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != 'ь' && r != 'ъ' {
			return soundOf(r)
		}
		s = s[:len(s)-size]
	}
	return sndVoiceless
}

// harmony is the vowel class a suffix must agree with.
type harmony uint8

const (
	harmAny harmony = iota
	harmBack
	harmFront
)

// rootHarmony is the harmony a root imposes on its first suffix, from its last vowel. Only vowels
// that are unambiguous in loan words decide it: е, и, у, ю, э leave it open, because names such as
// Тоқаев take back suffixes (Тоқаевтың) while Шымкент takes front ones (Шымкентте). A final к or г
// leaves it open too: Kazakh hears them as front consonants, so банк takes банкі, банктің.
func rootHarmony(s string) harmony {
	if last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, "ьъ")); last == 'к' || last == 'г' {
		return harmAny
	}
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		switch r {
		case 'а', 'о', 'ұ', 'ы', 'я':
			return harmBack
		case 'ә', 'ө', 'ү', 'і':
			return harmFront
		case 'е', 'и', 'у', 'ю', 'э':
			return harmAny
		}
		s = s[:len(s)-size]
	}
	return harmAny
}

// formHarmony is the harmony of a suffix form from its vowels; consonant-only forms (-м, -ң, -н) have
// none.
func formHarmony(form string) harmony {
	for _, r := range form {
		switch r {
		case 'а', 'о', 'ұ', 'ы':
			return harmBack
		case 'ә', 'е', 'ө', 'ү', 'і':
			return harmFront
		}
	}
	return harmAny
}

// kkSlot is the position class of a suffix in the chain: derivation, plural, possessive and case
// come in that order, and an attributive (-дағы, -ғы, -нікі) makes a new word that may take plural,
// possessive and case again (Астанадағыларға).
type kkSlot uint8

const (
	slotDeriv kkSlot = iota
	slotPlural
	slotPoss
	slotCase
	slotAttr
)

// kkCtx is the kind of the preceding suffix, which some allomorphs depend on: after a third-person
// possessive the cases take -н- (Астанасында, not *Астанасыда), and after a first or second person
// singular possessive the dative is -а/-е (үйіме).
type kkCtx uint8

const (
	ctxPlain kkCtx = iota
	ctxPoss3
	ctxPoss12
)

// kkSuffix is one allomorph of a Kazakh suffix.
type kkSuffix struct {
	form      string
	slot      kkSlot
	after     sound // sounds it may follow
	onlyAfter kkCtx // when not ctxPlain: allowed only after that possessive
	notPoss3  bool  // not allowed after a third-person possessive
	notPoss12 bool  // not allowed after a first or second person singular possessive
	sets      kkCtx // the context it leaves for the next suffix
	vowelNext bool  // a form with a voiced final stop (-лығ) that only stands before a vowel
	consNext  bool  // a form with a final қ/к (-лық), which voices before a vowel, so none follows
	neutral   bool  // takes no part in harmony (-мен, -нікі)

	harm         harmony // derived from form unless neutral
	end          sound   // sound of its last letter
	vowelInitial bool
}

// kkSuffixes is the suffix table, indexed by first rune.
var kkSuffixes = indexKKSuffixes(kkSuffixTable())

// kkSuffixTable lists every allomorph. Verbal morphology is left out (keywords are nouns and names),
// except the verbal noun -лау/-леу, which news uses as a noun (экспорттау, "exporting").
func kkSuffixTable() []kkSuffix {
	var t []kkSuffix
	// add lists a back/front pair (or a single form) with the given template.
	add := func(tmpl kkSuffix, forms ...string) {
		for _, f := range forms {
			s := tmpl
			s.form = f
			t = append(t, s)
		}
	}
	// Derivation: -лық "-ness/-ian", -лы "having", -шы "-er", -сыз "-less", -лау verbal noun.
	add(kkSuffix{slot: slotDeriv, after: sndVowel | sndSon, consNext: true}, "лық", "лік")
	add(kkSuffix{slot: slotDeriv, after: sndL | sndNasal | sndZ, consNext: true}, "дық", "дік")
	add(kkSuffix{slot: slotDeriv, after: sndVoiceless, consNext: true}, "тық", "тік")
	add(kkSuffix{slot: slotDeriv, after: sndVowel | sndSon}, "лы", "лі", "лау", "леу")
	add(kkSuffix{slot: slotDeriv, after: sndL | sndNasal | sndZ}, "ды", "ді", "дау", "деу")
	add(kkSuffix{slot: slotDeriv, after: sndVoiceless}, "ты", "ті", "тау", "теу")
	add(kkSuffix{slot: slotDeriv, after: sndVowel | sndSon, vowelNext: true}, "лығ", "ліг")
	add(kkSuffix{slot: slotDeriv, after: sndL | sndNasal | sndZ, vowelNext: true}, "дығ", "діг")
	add(kkSuffix{slot: slotDeriv, after: sndVoiceless, vowelNext: true}, "тығ", "тіг")
	add(kkSuffix{slot: slotDeriv, after: sndAny}, "шы", "ші", "сыз", "сіз")

	// Plural.
	add(kkSuffix{slot: slotPlural, after: sndVowel | sndSon}, "лар", "лер")
	add(kkSuffix{slot: slotPlural, after: sndL | sndNasal | sndZ}, "дар", "дер")
	add(kkSuffix{slot: slotPlural, after: sndVoiceless}, "тар", "тер")

	// Possessive: third person, first/second singular, and the rest.
	add(kkSuffix{slot: slotPoss, after: sndVowel, sets: ctxPoss3}, "сы", "сі")
	add(kkSuffix{slot: slotPoss, after: sndCons, sets: ctxPoss3}, "ы", "і")
	add(kkSuffix{slot: slotPoss, after: sndVowel, sets: ctxPoss12}, "м", "ң")
	add(kkSuffix{slot: slotPoss, after: sndCons, sets: ctxPoss12}, "ым", "ім", "ың", "ің")
	add(kkSuffix{slot: slotPoss, after: sndVowel}, "ңыз", "ңіз", "мыз", "міз")
	add(kkSuffix{slot: slotPoss, after: sndCons}, "ыңыз", "іңіз", "ымыз", "іміз")

	// Genitive.
	add(kkSuffix{slot: slotCase, after: sndVowel | sndNasal}, "ның", "нің")
	add(kkSuffix{slot: slotCase, after: sndL | sndSon | sndZ}, "дың", "дің")
	add(kkSuffix{slot: slotCase, after: sndVoiceless}, "тың", "тің")
	// Accusative.
	add(kkSuffix{slot: slotCase, after: sndVowel, notPoss3: true}, "ны", "ні")
	add(kkSuffix{slot: slotCase, after: sndL | sndSon | sndNasal | sndZ, notPoss3: true}, "ды", "ді")
	add(kkSuffix{slot: slotCase, after: sndVoiceless, notPoss3: true}, "ты", "ті")
	add(kkSuffix{slot: slotCase, after: sndAny, onlyAfter: ctxPoss3}, "н")
	// Dative.
	add(kkSuffix{slot: slotCase, after: sndVoiced, notPoss3: true, notPoss12: true}, "ға", "ге")
	add(kkSuffix{slot: slotCase, after: sndVoiceless, notPoss3: true, notPoss12: true}, "қа", "ке")
	add(kkSuffix{slot: slotCase, after: sndAny, onlyAfter: ctxPoss3}, "на", "не")
	add(kkSuffix{slot: slotCase, after: sndAny, onlyAfter: ctxPoss12}, "а", "е")
	// Locative.
	add(kkSuffix{slot: slotCase, after: sndVoiced, notPoss3: true}, "да", "де")
	add(kkSuffix{slot: slotCase, after: sndVoiceless, notPoss3: true}, "та", "те")
	add(kkSuffix{slot: slotCase, after: sndAny, onlyAfter: ctxPoss3}, "нда", "нде")
	// Ablative.
	add(kkSuffix{slot: slotCase, after: sndVowel | sndSon | sndL | sndZ, notPoss3: true}, "дан", "ден")
	add(kkSuffix{slot: slotCase, after: sndNasal, notPoss3: true}, "нан", "нен")
	add(kkSuffix{slot: slotCase, after: sndVoiceless, notPoss3: true}, "тан", "тен")
	add(kkSuffix{slot: slotCase, after: sndAny, onlyAfter: ctxPoss3}, "нан", "нен")
	// Instrumental, which has no back form.
	add(kkSuffix{slot: slotCase, after: sndVowel | sndSon | sndL | sndNasal, neutral: true}, "мен", "менен")
	add(kkSuffix{slot: slotCase, after: sndZ, neutral: true}, "бен", "бенен")
	add(kkSuffix{slot: slotCase, after: sndVoiceless, neutral: true}, "пен", "пенен")
	// Similative "like".
	add(kkSuffix{slot: slotCase, after: sndVoiced, notPoss3: true}, "дай", "дей")
	add(kkSuffix{slot: slotCase, after: sndVoiceless, notPoss3: true}, "тай", "тей")
	add(kkSuffix{slot: slotCase, after: sndAny, onlyAfter: ctxPoss3}, "ндай", "ндей")

	// Attributives: locative + -ғы "the one in", temporal -ғы, and -нікі "the one of".
	add(kkSuffix{slot: slotAttr, after: sndVoiced, notPoss3: true}, "дағы", "дегі")
	add(kkSuffix{slot: slotAttr, after: sndVoiceless, notPoss3: true}, "тағы", "тегі")
	add(kkSuffix{slot: slotAttr, after: sndAny, onlyAfter: ctxPoss3}, "ндағы", "ндегі")
	add(kkSuffix{slot: slotAttr, after: sndVoiced, notPoss3: true}, "ғы", "гі")
	add(kkSuffix{slot: slotAttr, after: sndVoiceless, notPoss3: true}, "қы", "кі")
	add(kkSuffix{slot: slotAttr, after: sndVowel | sndNasal, neutral: true}, "нікі")
	add(kkSuffix{slot: slotAttr, after: sndL | sndSon | sndZ, neutral: true}, "дікі")
	add(kkSuffix{slot: slotAttr, after: sndVoiceless, neutral: true}, "тікі")
	return t
}

// indexKKSuffixes fills in the derived fields and groups the suffixes by first rune.
func indexKKSuffixes(table []kkSuffix) map[rune][]kkSuffix {
	idx := make(map[rune][]kkSuffix)
	for _, s := range table {
		if !s.neutral {
			s.harm = formHarmony(s.form)
		}
		s.end = lastSound(s.form)
		if s.vowelNext {
			s.end = sndVoiceless // the stop it stands for (қ, к) is voiceless
		}
		first, _ := utf8.DecodeRuneInString(s.form)
		s.vowelInitial = soundOf(first)&sndVowel != 0
		idx[first] = append(idx[first], s)
	}
	return idx
}

// maxChainRunes bounds the length of a suffix chain: three derivations, plural, possessive, then a
// case, or an attributive followed by plural, possessive and case again. With the longest forms of
// the table that is 3×3 + 3 + 4 + 5 + 3 + 4 + 5 = 33 runes; TestMaxChainRunes recomputes it.
const maxChainRunes = 40

// kkState is where a suffix chain stands after the root and the suffixes read so far.
type kkState struct {
	slot      kkSlot // slot of the last suffix; slotDeriv also for the bare root
	ctx       kkCtx
	prev      sound
	harm      harmony
	derivs    uint8
	attrs     uint8
	vowelNext bool
	consNext  bool
}

// rootState is the state right after a root.
func rootState(root string) kkState {
	return kkState{slot: slotDeriv, prev: lastSound(root), harm: rootHarmony(root)}
}

// slotFollows reports whether a suffix of slot next may follow the state's last slot.
func (st kkState) slotFollows(next kkSlot) bool {
	switch next {
	case slotDeriv:
		return st.slot == slotDeriv && st.derivs < 3
	case slotPlural:
		return st.slot == slotDeriv || st.slot == slotAttr
	case slotPoss:
		return st.slot == slotDeriv || st.slot == slotPlural || st.slot == slotAttr
	case slotCase:
		return st.slot != slotCase
	case slotAttr:
		return st.slot != slotCase && st.slot != slotAttr && st.attrs == 0
	}
	return false
}

// kkChain reports whether rest, the part of a word after a root, is entirely a valid chain of Kazakh
// suffixes from state st. The empty rest is valid unless a vowel must follow.
func kkChain(rest string, st kkState) bool {
	if rest == "" {
		return !st.vowelNext
	}
	first, _ := utf8.DecodeRuneInString(rest)
	cands := kkSuffixes[first]
	if len(cands) == 0 {
		return false
	}
	for i := range cands {
		s := &cands[i]
		if !strings.HasPrefix(rest, s.form) ||
			st.vowelNext && !s.vowelInitial ||
			st.consNext && s.vowelInitial ||
			s.after&st.prev == 0 ||
			!st.slotFollows(s.slot) ||
			s.onlyAfter != ctxPlain && s.onlyAfter != st.ctx ||
			s.notPoss3 && st.ctx == ctxPoss3 ||
			s.notPoss12 && st.ctx == ctxPoss12 {
			continue
		}
		h := st.harm
		if s.harm != harmAny {
			if h != harmAny && h != s.harm {
				continue
			}
			h = s.harm
		}
		next := kkState{
			slot: s.slot, ctx: s.sets, prev: s.end, harm: h,
			derivs: st.derivs, attrs: st.attrs, vowelNext: s.vowelNext, consNext: s.consNext,
		}
		switch s.slot {
		case slotDeriv:
			next.derivs++
		case slotAttr:
			next.attrs++
			if s.neutral {
				next.harm = harmFront // -нікі is front whatever precedes, and so is what follows it
			}
		}
		if kkChain(rest[len(s.form):], next) {
			return true
		}
	}
	return false
}
