package service

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// markdown parses bulletin content: CommonMark plus GFM tables, strikethrough, autolinks and task
// lists. Raw HTML is left out (goldmark's safe default), so content is Markdown only.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// photoRefRE matches an image destination that names an uploaded photo: ![说明](photo:123).
var photoRefRE = regexp.MustCompile(`^photo:(\d{1,19})$`)

// PhotoRefs returns the ids of the photos the content shows (![…](photo:N)), unique, in order.
func PhotoRefs(content string) []uint64 {
	src := []byte(content)
	var ids []uint64
	_ = ast.Walk(markdown.Parser().Parse(text.NewReader(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			if id, ok := photoRef(string(img.Destination)); ok {
				ids = append(ids, id)
			}
		}
		return ast.WalkContinue, nil
	})
	return uniqueIDs(ids)
}

func photoRef(dest string) (uint64, bool) {
	m := photoRefRE.FindStringSubmatch(dest)
	if m == nil {
		return 0, false
	}
	return ParseID(m[1])
}

// htmlRenderer renders Markdown to HTML that is safe to show: images are only ever the park's own
// photos (or, for the Official Account, WeChat's copies of them), and the output goes through a
// bluemonday UGC policy, so no script, no event handler attributes and no javascript: links survive.
type htmlRenderer struct {
	imageURL *regexp.Regexp // image sources allowed to stay
	policy   *bluemonday.Policy
}

func newHTMLRenderer(imageURL *regexp.Regexp) *htmlRenderer {
	p := bluemonday.UGCPolicy()
	// Replaces the UGC policy's rule for img src: any URL → only the allowed ones.
	p.AllowAttrs("src").Matching(imageURL).OnElements("img")
	p.AllowAttrs("style").Matching(regexp.MustCompile(`^text-align:\s*(left|right|center);?$`)).OnElements("th", "td")
	return &htmlRenderer{imageURL: imageURL, policy: p}
}

// render turns content into sanitized HTML. resolve maps a referenced photo id to its image URL; an
// image it cannot resolve, or one pointing anywhere but an allowed URL, is replaced by its
// description text, so a foreign image never reaches a reader.
func (r *htmlRenderer) render(content string, resolve func(id uint64) string) string {
	src := []byte(content)
	doc := markdown.Parser().Parse(text.NewReader(src))
	var drop []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		dest := string(img.Destination)
		if id, ok := photoRef(dest); ok {
			dest = ""
			if resolve != nil {
				dest = resolve(id)
			}
			img.Destination = []byte(dest)
		}
		if dest == "" || !r.imageURL.MatchString(dest) {
			drop = append(drop, img)
		}
		return ast.WalkSkipChildren, nil
	})
	for _, img := range drop {
		alt := strings.TrimSpace(plainText(img, src))
		if alt == "" {
			alt = "（图片）"
		}
		img.Parent().ReplaceChild(img.Parent(), img, ast.NewString([]byte(alt)))
	}
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, src, doc); err != nil {
		return ""
	}
	return r.policy.Sanitize(buf.String())
}

// plainText concatenates the text under n.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// Digest returns the first n characters of content's plain text, for the article summary.
func Digest(content string, n int) string {
	src := []byte(content)
	doc := markdown.Parser().Parse(text.NewReader(src))
	var parts []string
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() == ast.KindParagraph {
			if s := strings.TrimSpace(plainText(c, src)); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return truncateRunes(strings.Join(parts, " "), n)
}

// escapeMarkdown makes text that users typed (names, notes, requirements) safe to place inline in
// Markdown the service writes: it stays the very same text and can start nothing. Every ASCII
// punctuation character is backslash-escaped, which CommonMark allows for all of them and which makes
// each stand for itself, so no link, image, emphasis, code span, HTML, entity, autolink or table cell
// boundary can begin; a hyphen only needs it first, where it could make a list or a rule. Line breaks
// become spaces and the ends are trimmed, so the text can neither start a block of its own (heading,
// quote, list, code) nor indent one.
func escapeMarkdown(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		switch r {
		case '\r', '\n':
			return ' '
		case 0:
			return '\uFFFD' // what CommonMark reads NUL as
		}
		return r
	}, s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, r := range s {
		if r < utf8.RuneSelf && isASCIIPunct(byte(r)) && (r != '-' || i == 0) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}
