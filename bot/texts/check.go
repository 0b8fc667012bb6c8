package texts

import (
	"errors"
	"fmt"
	"strings"
	"text/template/parse"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// templateFuncs are the only functions a catalogue template may call: the comparisons and
// logic of text/template. Others (html, js, printf, …) would undo or redo the escaping.
var templateFuncs = map[string]any{
	"and": true, "or": true, "not": true, "len": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
}

// textInfo is what the checks learn from one catalogue text.
type textInfo struct {
	fields   map[string]bool // the data keys it reads
	skeleton string          // the text with every action replaced by "x", for ValidateHTML
}

// analyze parses src as a go-i18n template and reports the data keys it reads. It accepts only
// what T can satisfy: {{.Key}} of the top-level data, {{if}}/{{else}}, and templateFuncs;
// nested fields, variables, range, with and template definitions are rejected.
func analyze(src, leftDelim, rightDelim string) (textInfo, error) {
	trees, err := parse.Parse("t", src, leftDelim, rightDelim, templateFuncs)
	if err != nil {
		return textInfo{}, err
	}
	if len(trees) != 1 || trees["t"] == nil {
		return textInfo{}, errors.New("template definitions are not allowed")
	}
	t := textInfo{fields: map[string]bool{}}
	var sk strings.Builder
	if err := walk(trees["t"].Root, &t, &sk); err != nil {
		return textInfo{}, err
	}
	t.skeleton = sk.String()
	return t, nil
}

func walk(n parse.Node, t *textInfo, sk *strings.Builder) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := walk(c, t, sk); err != nil {
				return err
			}
		}
	case *parse.TextNode:
		sk.Write(n.Text)
	case *parse.CommentNode:
	case *parse.ActionNode:
		sk.WriteString("x")
		return walk(n.Pipe, t, sk)
	case *parse.IfNode:
		if err := walk(n.Pipe, t, sk); err != nil {
			return err
		}
		if err := walk(n.List, t, sk); err != nil {
			return err
		}
		return walk(n.ElseList, t, sk)
	case *parse.PipeNode:
		if n == nil {
			return nil
		}
		if len(n.Decl) > 0 {
			return errors.New("variables are not allowed")
		}
		for _, c := range n.Cmds {
			if err := walk(c, t, sk); err != nil {
				return err
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			if err := walk(a, t, sk); err != nil {
				return err
			}
		}
	case *parse.FieldNode:
		if len(n.Ident) != 1 {
			return fmt.Errorf("nested field %s is not allowed", n)
		}
		t.fields[n.Ident[0]] = true
	case *parse.IdentifierNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode:
	default:
		return fmt.Errorf("%s is not allowed", n)
	}
	return nil
}

// formNames names the CLDR plural forms of a go-i18n message.
var formNames = []string{"zero", "one", "two", "few", "many", "other"}

// forms returns the non-empty plural forms of m by name.
func forms(m *i18n.Message) map[string]string {
	all := map[string]string{
		"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other,
	}
	for k, v := range all {
		if v == "" {
			delete(all, k)
		}
	}
	return all
}

// isPlural reports whether m has forms besides "other".
func isPlural(m *i18n.Message) bool {
	return m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
}

// pluralProbe asks go-i18n which CLDR form it picks for a count, through a message whose every
// form is its own name, so the rules are go-i18n's and not written again here.
type pluralProbe struct {
	localizers map[string]*i18n.Localizer
}

const probeID = "plural-probe"

func newPluralProbe(langs []string) (*pluralProbe, error) {
	b := i18n.NewBundle(language.English)
	p := &pluralProbe{localizers: map[string]*i18n.Localizer{}}
	for _, l := range langs {
		m := &i18n.Message{ID: probeID, Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}
		if err := b.AddMessages(language.Make(l), m); err != nil {
			return nil, fmt.Errorf("plural rules for %s: %w", l, err)
		}
		p.localizers[l] = i18n.NewLocalizer(b, l)
	}
	return p, nil
}

// form returns the CLDR plural form go-i18n uses for n in lang.
func (p *pluralProbe) form(lang string, n int) (string, error) {
	return p.localizers[lang].Localize(&i18n.LocalizeConfig{MessageID: probeID, PluralCount: n})
}

// requiredForms returns the plural forms a message in lang must have: every form some whole
// count selects (0–1000 covers the mod-10 and mod-100 rules of every CLDR language), plus
// "other", which go-i18n falls back to.
func (p *pluralProbe) requiredForms(lang string) (map[string]bool, error) {
	need := map[string]bool{"other": true}
	for n := 0; n <= 1000; n++ {
		f, err := p.form(lang, n)
		if err != nil {
			return nil, fmt.Errorf("plural form of %d in %s: %w", n, lang, err)
		}
		need[f] = true
	}
	return need, nil
}
