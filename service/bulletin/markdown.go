package bulletin

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"parksafe/service"
)

// markdown parses bulletin content: CommonMark plus GFM tables, strikethrough, autolinks and task
// lists. Raw HTML is left out (goldmark's safe default), so content is Markdown only.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// photoRefRE matches an image destination that names an uploaded photo: ![说明](photo:123).
var photoRefRE = regexp.MustCompile(`^photo:(\d{1,19})$`)

// maxMarkdownNesting bounds how deeply block quotes and list items may nest in bulletin content.
// goldmark's parsing time grows with the square of that depth (a 100,000-character quote nested in
// itself takes seconds), so content is measured before it is parsed.
const maxMarkdownNesting = 16

// maxMarkdownTableCells bounds the cells of GFM tables in bulletin content. A table pads every row
// to its header's width, so a wide header over many short rows renders to far more HTML than the
// content's length suggests (200 columns × 33,000 rows: 66 MB from 100,000 characters).
const maxMarkdownTableCells = 5000

// markdownTableCells returns, without parsing, an upper bound of the cells the tables in content
// render to: a table starts at a delimiter row (pipes, dashes and colons, such as |--|:-:|), has as
// many columns as that row has cells, and every line from its header to the next blank line is
// counted as a row.
func markdownTableCells(content string) int {
	total, cols, header := 0, 0, ""
	for len(content) > 0 {
		end := strings.IndexAny(content, "\r\n")
		if end < 0 {
			end = len(content)
		}
		line := strings.TrimLeft(content[:end], " \t>")
		content = content[min(end+1, len(content)):]
		switch {
		case strings.TrimSpace(line) == "":
			cols = 0
		case cols == 0 && isDelimiterRow(line):
			cols = strings.Count(strings.Trim(strings.TrimSpace(line), "|"), "|") + 1
			if header != "" {
				total += cols // the header row above it
			}
			total += cols
		case cols > 0:
			total += cols
		}
		if total > maxMarkdownTableCells {
			return total
		}
		header = line
	}
	return total
}

// isDelimiterRow reports whether line can be a GFM table's delimiter row.
func isDelimiterRow(line string) bool {
	line = strings.TrimSpace(line)
	return strings.Contains(line, "|") && strings.Contains(line, "-") && strings.Trim(line, "|-: \t") == ""
}

// markdownNesting returns, without parsing, an upper bound of how deeply block quotes and list items
// nest in content. A line can continue an open block quote only with a ">" of its own and an open
// list item only with at least two columns of indentation, and every open container was opened by a
// marker on an earlier line; so a line is at most as deep as the markers at its start, plus half its
// indentation but no more than the deepest line before it.
func markdownNesting(content string) int {
	deepest := 0
	for len(content) > 0 {
		// CommonMark ends lines at "\n", "\r\n" and a lone "\r".
		end := strings.IndexAny(content, "\r\n")
		if end < 0 {
			end = len(content)
		}
		markers, cols := lineContainers(content[:end])
		deepest = max(deepest, markers+min(cols/2, deepest))
		content = content[min(end+1, len(content)):]
	}
	return deepest
}

// lineContainers counts the block quote and list item markers at the start of line, and the columns
// of space and tab (counted 4 wide, the most a tab can be) between them.
func lineContainers(line string) (markers, cols int) {
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4
			i++
		case c == '>':
			markers++
			i++
		case c == '-' || c == '*' || c == '+':
			if !markerEnds(line, i+1) {
				return markers, cols
			}
			markers++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || (line[j] != '.' && line[j] != ')') || !markerEnds(line, j+1) {
				return markers, cols
			}
			markers++
			i = j + 1
		default:
			return markers, cols
		}
	}
	return markers, cols
}

// markerEnds reports whether a list marker ending before line[i] is one: followed by white space or
// the end of the line.
func markerEnds(line string, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t'
}

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
	return service.UniqueIDs(ids)
}

func photoRef(dest string) (uint64, bool) {
	m := photoRefRE.FindStringSubmatch(dest)
	if m == nil {
		return 0, false
	}
	return service.ParseID(m[1])
}

// htmlRenderer renders Markdown to HTML that is safe to show: images are only ever the park's own
// photos (or, for the Official Account, WeChat's copies of them), and the output goes through a
// bluemonday UGC policy, so no script, no event handler attributes and no javascript: links survive.
type htmlRenderer struct {
	imageURL *regexp.Regexp // image sources allowed to stay
	policy   *bluemonday.Policy
}

// newHTMLRenderer returns a renderer that keeps the images whose source imageURL matches. A
// placeholder scheme (photo, for the HTML stored with a bulletin) is let through the sanitizer for
// those sources only; links never carry it.
func newHTMLRenderer(imageURL *regexp.Regexp, placeholderSchemes ...string) *htmlRenderer {
	p := bluemonday.UGCPolicy()
	// Replaces the UGC policy's rule for img src: any URL → only the allowed ones.
	p.AllowAttrs("src").Matching(imageURL).OnElements("img")
	p.AllowAttrs("style").Matching(regexp.MustCompile(`^text-align:\s*(left|right|center);?$`)).OnElements("th", "td")
	for _, scheme := range placeholderSchemes {
		p.AllowURLSchemeWithCustomPolicy(scheme, func(u *url.URL) bool { return imageURL.MatchString(u.String()) })
	}
	return &htmlRenderer{imageURL: imageURL, policy: p}
}

// render turns content into sanitized HTML. resolve maps a referenced photo id to its image URL; an
// image it cannot resolve, or one pointing anywhere but an allowed URL, is replaced by its
// description text, so a foreign image never reaches a reader. A link to a photo reference is only
// its text: photos are shown, not linked.
func (r *htmlRenderer) render(content string, resolve func(id uint64) string) string {
	src := []byte(content)
	doc := markdown.Parser().Parse(text.NewReader(src))
	var drop, unlink []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if isPhotoScheme(n.Destination) {
				unlink = append(unlink, n)
			}
		case *ast.AutoLink:
			if isPhotoScheme(n.URL(src)) {
				drop = append(drop, n)
			}
		case *ast.Image:
			dest := string(n.Destination)
			if id, ok := photoRef(dest); ok {
				dest = ""
				if resolve != nil {
					dest = resolve(id)
				}
				n.Destination = []byte(dest)
			}
			if dest == "" || !r.imageURL.MatchString(dest) {
				drop = append(drop, n)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range drop {
		text := strings.TrimSpace(plainText(n, src))
		if auto, ok := n.(*ast.AutoLink); ok {
			text = string(auto.Label(src))
		} else if text == "" {
			text = "（图片）"
		}
		n.Parent().ReplaceChild(n.Parent(), n, ast.NewString([]byte(text)))
	}
	for _, n := range unlink {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, src, doc); err != nil {
		return ""
	}
	return r.policy.Sanitize(buf.String())
}

// isPhotoScheme reports whether a destination uses the photo reference scheme, in any case.
func isPhotoScheme(dest []byte) bool {
	return len(dest) >= 6 && strings.EqualFold(string(dest[:6]), "photo:")
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
	return service.TruncateRunes(strings.Join(parts, " "), n)
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

// isASCIIPunct reports whether c is one of the characters CommonMark lets a backslash escape.
func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}
