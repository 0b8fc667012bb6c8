package texts

import (
	"embed"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	i18ntemplate "github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var catalogueFS embed.FS

// languages are the catalogue languages, sorted; Pick returns one of them.
var languages = []string{"en", "kk", "ru"}

// Catalog renders the bot's texts. It is immutable after Load and safe for concurrent use.
type Catalog struct {
	localizers map[string]*i18n.Localizer
	messages   map[string]*message
	parser     i18ntemplate.Parser
}

// message is what rendering needs to know about one id beyond its texts.
type message struct {
	plural bool
	fields map[string]bool            // data keys read by any language, filled with "" when absent
	byLang map[string]map[string]bool // data keys read per language
}

// Load parses the embedded catalogues. It fails, naming every problem, when a catalogue is
// missing or unreadable, when a language lacks an id English has or has one English lacks (or
// English differs from the ids in ids.go), when a plural message lacks or has extra CLDR forms
// for its language or is plural in one language only, when a text reads a data key its English
// text does not, uses template features T cannot satisfy, or is not valid Telegram HTML.
func Load() (*Catalog, error) {
	c, err := load(catalogueFS, allIDs)
	if err != nil {
		return nil, fmt.Errorf("texts: %w", err)
	}
	return c, nil
}

// load reads active.<lang>.toml for every language from fsys and checks them against ids.
func load(fsys fs.FS, ids []string) (*Catalog, error) {
	unmarshal := map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal}
	byLang := map[string]map[string]*i18n.Message{}
	for _, lang := range languages {
		name := "active." + lang + ".toml"
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read catalogue: %w", err)
		}
		mf, err := i18n.ParseMessageFileBytes(buf, name, unmarshal)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		msgs := make(map[string]*i18n.Message, len(mf.Messages))
		for _, m := range mf.Messages {
			msgs[m.ID] = m
		}
		byLang[lang] = msgs
	}
	if extra, err := fs.Glob(fsys, "active.*.toml"); err == nil {
		for _, name := range extra {
			lang := strings.TrimSuffix(strings.TrimPrefix(path.Base(name), "active."), ".toml")
			if byLang[lang] == nil {
				return nil, fmt.Errorf("catalogue %s: language %q is not one Pick can choose", name, lang)
			}
		}
	}

	probe, err := newPluralProbe(languages)
	if err != nil {
		return nil, err
	}
	needForms := map[string]map[string]bool{}
	for _, lang := range languages {
		if needForms[lang], err = probe.requiredForms(lang); err != nil {
			return nil, err
		}
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	for _, id := range sortedKeys(want) {
		if byLang["en"][id] == nil {
			fail("en: message %q is missing", id)
		}
	}
	for _, id := range sortedKeys(byLang["en"]) {
		if !want[id] {
			fail("en: message %q has no id constant", id)
		}
	}

	messages := map[string]*message{}
	for _, id := range sortedKeys(byLang["en"]) {
		en := byLang["en"][id]
		meta := &message{plural: isPlural(en), fields: map[string]bool{}, byLang: map[string]map[string]bool{}}
		messages[id] = meta
		for _, lang := range languages {
			m := byLang[lang][id]
			if m == nil {
				fail("%s: message %q is missing", lang, id)
				continue
			}
			if isPlural(m) != meta.plural {
				fail("%s: message %q: plural in one language and not in the other (en plural: %t)", lang, id, meta.plural)
				continue
			}
			if m.Other == "" {
				fail("%s: message %q: empty text", lang, id)
			}
			if meta.plural {
				need, have := needForms[lang], forms(m)
				for _, f := range formNames {
					if need[f] && have[f] == "" {
						fail("%s: message %q lacks plural form %q", lang, id, f)
					}
					if !need[f] && have[f] != "" {
						fail("%s: message %q has plural form %q, which %s never uses", lang, id, f, lang)
					}
				}
			}
			fields := map[string]bool{}
			texts := forms(m)
			for _, f := range formNames {
				src := texts[f]
				if src == "" {
					continue
				}
				t, err := analyze(src, m.LeftDelim, m.RightDelim)
				if err != nil {
					fail("%s: message %q (%s): %w", lang, id, f, err)
					continue
				}
				if err := ValidateHTML(t.skeleton); err != nil {
					fail("%s: message %q (%s): %w", lang, id, f, err)
				}
				maps.Copy(fields, t.fields)
			}
			meta.byLang[lang] = fields
			maps.Copy(meta.fields, fields)
		}
		for _, lang := range languages[1:] {
			for _, k := range sortedKeys(meta.byLang[lang]) {
				if !meta.byLang["en"][k] {
					fail("%s: message %q reads {{.%s}}, which the English text does not", lang, id, k)
				}
			}
		}
	}
	for _, lang := range languages[1:] {
		for _, id := range sortedKeys(byLang[lang]) {
			if byLang["en"][id] == nil {
				fail("%s: message %q is not in the English catalogue", lang, id)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	bundle := i18n.NewBundle(language.English)
	c := &Catalog{
		localizers: map[string]*i18n.Localizer{},
		messages:   messages,
		// missingkey=error: render fills every key the texts read, so a miss is a bug to
		// catch, never "<no value>" sent to Telegram, which would reject it as bad HTML.
		parser: &i18ntemplate.TextParser{Option: "missingkey=error"},
	}
	for _, lang := range languages {
		msgs := make([]*i18n.Message, 0, len(byLang[lang]))
		for _, id := range sortedKeys(byLang[lang]) {
			msgs = append(msgs, byLang[lang][id])
		}
		if err := bundle.AddMessages(language.Make(lang), msgs...); err != nil {
			return nil, fmt.Errorf("%s: %w", lang, err)
		}
		c.localizers[lang] = i18n.NewLocalizer(bundle, lang)
	}
	return c, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Languages returns the catalogue languages, sorted: "en", "kk", "ru".
func (c *Catalog) Languages() []string {
	return slices.Clone(languages)
}

// T returns message id in lang as Telegram HTML. data supplies the template's keys (see the
// id's comment); a key not given renders as "". Values are escaped with html.EscapeString,
// except HTML values, which go in as they are; []string is escaped item by item and joined
// with ", " ([]HTML joined likewise); numbers and booleans print as fmt prints them; anything
// else is fmt.Sprint-ed and escaped.
//
// lang is normally Pick's result; any other value is read as a /language choice would be
// ("ru-RU" is "ru") and English otherwise. A plural message rendered with T uses its "other"
// form: use N for those. T never fails: for an id that is not in the catalogue it returns the
// id itself, escaped, so the mistake shows without breaking the message.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	return c.render(lang, id, nil, data)
}

// N is T for a message that depends on a count: it chooses the CLDR plural form of count for
// lang (Russian 1 новость, 2 новости, 5 новостей, 21 новость; Kazakh and English one/other)
// and sets data key Count to count, overriding any Count in data. For a message without plural
// forms, N is T with Count set.
func (c *Catalog) N(lang, id string, count int, data map[string]any) string {
	return c.render(lang, id, &count, data)
}

func (c *Catalog) render(lang, id string, count *int, data map[string]any) string {
	lang = Pick(lang, "")
	s, err := c.localize(lang, id, count, data)
	if err != nil && lang != "en" {
		s, err = c.localize("en", id, count, data)
	}
	if err != nil {
		return html.EscapeString(id)
	}
	return s
}

func (c *Catalog) localize(lang, id string, count *int, data map[string]any) (string, error) {
	m := c.messages[id]
	if m == nil {
		return "", fmt.Errorf("message %q not found", id)
	}
	values := make(map[string]any, len(m.fields)+1)
	for k, v := range data {
		values[k] = escapeValue(v)
	}
	for k := range m.fields {
		if _, ok := values[k]; !ok {
			values[k] = ""
		}
	}
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateData: values, TemplateParser: c.parser}
	if count != nil {
		values["Count"] = *count
		if m.plural {
			lc.PluralCount = *count
		}
	}
	return c.localizers[lang].Localize(lc)
}
