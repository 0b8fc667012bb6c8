package summary

// abbrClass says what a period after an abbreviation means when white space
// and a sentence-like start (capital letter, digit, quote, dash) follow it.
type abbrClass uint8

const (
	// notAbbr: an ordinary word; the period ends the sentence.
	notAbbr abbrClass = iota
	// prefixAbbr always introduces something (Mr. Smith, ул. Абая, т.е.), so
	// it never ends a sentence.
	prefixAbbr
	// ambiguousAbbr may end a sentence (в 2024 г. / the U.S.) but usually
	// does not (г. Алматы, U.S. Treasury): the period is a boundary only
	// when the next word is one that typically opens a sentence.
	ambiguousAbbr
	// unitAbbr ends a noun phrase: a unit after a number (5 млн. тенге) or a
	// region (Актюбинской обл.). Before a capitalised word it ends the
	// sentence, before a number or an acronym (млн. USD, обл. РК) it does not.
	unitAbbr
	// numberedAbbr is followed by a number when it is an abbreviation
	// (No. 5); otherwise it is the plain word ("said no. Then").
	numberedAbbr
	// terminalAbbr usually ends an enumeration and with it the sentence
	// (и т.д., etc.).
	terminalAbbr
)

// abbr describes one abbreviation. Zero fields of afterNumber and afterAnd
// fall back to class.
type abbr struct {
	class abbrClass
	// afterNumber applies when a number precedes: "2024 г." is a year and
	// may end a sentence, "г. Астана" is a city and never does.
	afterNumber abbrClass
	// afterAnd applies after the conjunction "и": "и др." ends a list.
	afterAnd abbrClass
}

// abbreviations is keyed by the lower-cased abbreviation with its final
// period and without inner spaces ("т. д." is looked up as "т.д.").
var abbreviations = map[string]abbr{
	// Russian.
	"т.е.":   {class: prefixAbbr},
	"т.к.":   {class: prefixAbbr},
	"т.ч.":   {class: prefixAbbr},
	"т.н.":   {class: prefixAbbr},
	"т.д.":   {class: terminalAbbr},
	"т.п.":   {class: terminalAbbr},
	"др.":    {class: ambiguousAbbr, afterAnd: terminalAbbr},
	"пр.":    {class: prefixAbbr, afterAnd: terminalAbbr},
	"г.":     {class: prefixAbbr, afterNumber: ambiguousAbbr},
	"гг.":    {class: ambiguousAbbr},
	"в.":     {class: ambiguousAbbr},
	"вв.":    {class: ambiguousAbbr},
	"н.э.":   {class: ambiguousAbbr},
	"им.":    {class: prefixAbbr},
	"ул.":    {class: prefixAbbr},
	"пл.":    {class: prefixAbbr},
	"пер.":   {class: prefixAbbr},
	"просп.": {class: prefixAbbr},
	"мкр.":   {class: prefixAbbr},
	"пос.":   {class: prefixAbbr},
	"с.":     {class: prefixAbbr},
	"д.":     {class: prefixAbbr},
	"кв.":    {class: prefixAbbr},
	"р.":     {class: prefixAbbr, afterNumber: unitAbbr},
	"руб.":   {class: unitAbbr},
	"долл.":  {class: unitAbbr},
	"тг.":    {class: unitAbbr},
	"тыс.":   {class: unitAbbr},
	"млн.":   {class: unitAbbr},
	"млрд.":  {class: unitAbbr},
	"трлн.":  {class: unitAbbr},
	"км.":    {class: unitAbbr},
	"обл.":   {class: unitAbbr},
	"р-н.":   {class: unitAbbr},
	"проф.":  {class: prefixAbbr},
	"акад.":  {class: prefixAbbr},
	"ст.":    {class: prefixAbbr},
	"см.":    {class: prefixAbbr, afterNumber: unitAbbr},
	"мин.":   {class: prefixAbbr, afterNumber: unitAbbr},
	"ч.":     {class: prefixAbbr, afterNumber: unitAbbr},
	"п.":     {class: prefixAbbr},
	"напр.":  {class: prefixAbbr},
	"ок.":    {class: prefixAbbr},
	"св.":    {class: prefixAbbr},
	"дж.":    {class: prefixAbbr},
	"гр.":    {class: prefixAbbr},
	"ген.":   {class: prefixAbbr},
	"зам.":   {class: prefixAbbr},
	"тел.":   {class: prefixAbbr},
	"рис.":   {class: prefixAbbr},

	// Kazakh. "облысы" is a word, not an abbreviation, and is left out.
	"ж.":     {class: ambiguousAbbr},
	"жж.":    {class: ambiguousAbbr},
	"ғ.":     {class: ambiguousAbbr},
	"т.б.":   {class: terminalAbbr},
	"т.с.с.": {class: terminalAbbr},
	"б.з.д.": {class: ambiguousAbbr},
	"б.з.":   {class: ambiguousAbbr},
	"мың.":   {class: unitAbbr},
	"көш.":   {class: prefixAbbr},
	"ауд.":   {class: unitAbbr},

	// English.
	"mr.":     {class: prefixAbbr},
	"mrs.":    {class: prefixAbbr},
	"ms.":     {class: prefixAbbr},
	"dr.":     {class: prefixAbbr},
	"prof.":   {class: prefixAbbr},
	"gen.":    {class: prefixAbbr},
	"gov.":    {class: prefixAbbr},
	"sen.":    {class: prefixAbbr},
	"col.":    {class: prefixAbbr},
	"capt.":   {class: prefixAbbr},
	"lt.":     {class: prefixAbbr},
	"mt.":     {class: prefixAbbr},
	"approx.": {class: prefixAbbr},
	"fig.":    {class: prefixAbbr},
	"st.":     {class: ambiguousAbbr},
	"jr.":     {class: ambiguousAbbr},
	"sr.":     {class: ambiguousAbbr},
	"inc.":    {class: ambiguousAbbr},
	"ltd.":    {class: ambiguousAbbr},
	"co.":     {class: ambiguousAbbr},
	"corp.":   {class: ambiguousAbbr},
	"dept.":   {class: ambiguousAbbr},
	"u.s.":    {class: ambiguousAbbr},
	"u.k.":    {class: ambiguousAbbr},
	"u.n.":    {class: ambiguousAbbr},
	"e.u.":    {class: ambiguousAbbr},
	"u.a.e.":  {class: ambiguousAbbr},
	"e.g.":    {class: prefixAbbr},
	"i.e.":    {class: prefixAbbr},
	"mln.":    {class: unitAbbr},
	"bln.":    {class: unitAbbr},
	"bn.":     {class: unitAbbr},
	"tn.":     {class: unitAbbr},
	"etc.":    {class: terminalAbbr},
	"vs.":     {class: prefixAbbr},
	"v.":      {class: prefixAbbr},
	"no.":     {class: numberedAbbr},
	"nos.":    {class: numberedAbbr},
	"vol.":    {class: numberedAbbr},
	"art.":    {class: numberedAbbr},
	"jan.":    {class: ambiguousAbbr},
	"feb.":    {class: ambiguousAbbr},
	"mar.":    {class: ambiguousAbbr},
	"apr.":    {class: ambiguousAbbr},
	"jun.":    {class: ambiguousAbbr},
	"jul.":    {class: ambiguousAbbr},
	"aug.":    {class: ambiguousAbbr},
	"sep.":    {class: ambiguousAbbr},
	"sept.":   {class: ambiguousAbbr},
	"oct.":    {class: ambiguousAbbr},
	"nov.":    {class: ambiguousAbbr},
	"dec.":    {class: ambiguousAbbr},
	"a.m.":    {class: ambiguousAbbr},
	"p.m.":    {class: ambiguousAbbr},
}

// sentenceStarters are lower-cased words that open sentences far more often
// than they follow an abbreviation mid-sentence. After an ambiguous
// abbreviation ("в 2024 г. В Астане", "the U.S. The ministry") they decide
// for a boundary.
var sentenceStarters = map[string]bool{
	// Russian.
	"а": true, "без": true, "в": true, "вместе": true, "во": true, "вот": true,
	"впрочем": true, "все": true, "всего": true, "всё": true, "вчера": true,
	"где": true, "для": true, "до": true, "его": true, "ее": true, "если": true,
	"её": true, "за": true, "завтра": true, "затем": true, "здесь": true,
	"и": true, "из": true, "или": true, "их": true, "итак": true, "к": true,
	"как": true, "когда": true, "кроме": true, "кстати": true, "между": true,
	"мы": true, "на": true, "напомним": true, "но": true, "о": true, "об": true,
	"однако": true, "он": true, "она": true, "они": true, "оно": true,
	"от": true, "отметим": true, "по": true, "поэтому": true, "после": true,
	"пока": true, "потом": true, "при": true, "причем": true, "причём": true,
	"ранее": true, "с": true, "сегодня": true, "сейчас": true, "со": true,
	"согласно": true, "среди": true, "так": true, "также": true, "там": true,
	"тем": true, "теперь": true, "тогда": true, "у": true, "уже": true,
	"что": true, "чтобы": true, "это": true, "эта": true, "этот": true,
	"эти": true, "я": true,

	// Kazakh.
	"ал": true, "алайда": true, "барлығы": true, "биыл": true, "бірақ": true,
	"біз": true, "бұл": true, "бүгін": true, "былтыр": true, "дегенмен": true,
	"егер": true, "енді": true, "жалпы": true, "кейін": true, "кеше": true,
	"қазір": true, "мен": true, "мысалы": true, "мұнда": true, "ол": true,
	"олар": true, "онда": true, "оның": true, "осы": true, "себебі": true,
	"сол": true, "сонда": true, "сондай-ақ": true, "сондықтан": true,
	"сонымен": true, "яғни": true, "өйткені": true,

	// English.
	"a": true, "according": true, "after": true, "also": true, "an": true, "and": true,
	"as": true, "at": true, "before": true, "but": true, "by": true,
	"during": true, "earlier": true, "for": true, "from": true, "he": true,
	"her": true, "his": true, "however": true, "i": true, "if": true,
	"in": true, "it": true, "its": true, "last": true, "later": true,
	"meanwhile": true, "on": true, "our": true, "she": true, "since": true,
	"so": true, "the": true, "their": true, "then": true, "there": true,
	"these": true, "they": true, "this": true, "those": true, "we": true,
	"what": true, "when": true, "while": true, "with": true,
}
