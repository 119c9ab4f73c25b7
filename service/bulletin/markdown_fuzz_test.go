package bulletin

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	imgSrcRE  = regexp.MustCompile(`<img[^>]*\ssrc="([^"]*)"`)
	tagRE     = regexp.MustCompile(`<(/?)([a-z0-9]+)[^>]*>`)
	dangerRE  = regexp.MustCompile(`(?i)^<(script|iframe|style|object|embed|form)|\son[a-z]+=|="\s*(javascript|vbscript|data):|href="\s*photo:`)
	fuzzSite  = newHTMLRenderer(regexp.MustCompile(`^photo:\d+$`), "photo")
	fuzzWX    = newHTMLRenderer(regexp.MustCompile(`^https?://mmbiz\.qpic\.cn/`))
	wxImageRE = regexp.MustCompile(`^https?://mmbiz\.qpic\.cn/`)
)

// FuzzMarkdownRender renders bulletin content as a bulletin is stored and as it goes to WeChat.
// Content the nesting guard lets through must be no deeper than the guard estimated (so the guard
// bounds goldmark's work), and the HTML must carry no script, no event handler, no link to a photo
// reference, no image but the placeholders of photos (stored) or WeChat's copies (published).
func FuzzMarkdownRender(f *testing.F) {
	for _, seed := range append(nestingCases,
		"# 标题\n\n**粗体** _斜体_ `代码` ~~删除~~ [链接](https://www.mem.gov.cn) <https://a.example> www.b.example\n",
		"| 企业 | 问题 |\n| :-- | --: |\n| 甲 | ![现场](photo:12) |\n",
		"![a](photo:1) ![b](PHOTO:2) ![c](photo:007) [d](photo:3) <photo:4> ![e](http://evil.example/x.png)",
		"<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))",
		"- [ ] 待办\n- [x] 完成\n\n1. 一\n2. 二\n\n```go\ncode\n```\n\n    缩进代码\n\n---\n",
		"[![嵌套](photo:5)](https://a.example) ![![内](photo:6)](photo:7)",
	) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		est := markdownNesting(content)
		if est > maxMarkdownNesting {
			return // refused before parsing
		}
		if got := astNesting(content); got > est {
			t.Fatalf("nesting estimated %d, parsed %d", est, got)
		}
		stored := fuzzSite.render(content, func(id uint64) string { return "photo:" + strconv.FormatUint(id, 10) })
		checkHTML(t, stored, func(src string) bool { return photoRefRE.MatchString(src) })
		published := fuzzWX.render(content, func(id uint64) string { return "https://mmbiz.qpic.cn/mmbiz/" + strconv.FormatUint(id, 10) })
		checkHTML(t, published, wxImageRE.MatchString)
		var s Service
		if signed := s.signPhotos(stored, nil); strings.Contains(signed, `src="photo:`) {
			t.Fatalf("a placeholder survived signing: %s", signed)
		}
	})
}

func checkHTML(t *testing.T, out string, imageOK func(string) bool) {
	t.Helper()
	for _, tag := range tagRE.FindAllString(out, -1) { // text cannot hold a "<": it is escaped
		if m := dangerRE.FindString(tag); m != "" {
			t.Fatalf("HTML has %q in %s: %s", m, tag, out)
		}
	}
	for _, m := range imgSrcRE.FindAllStringSubmatch(out, -1) {
		if !imageOK(html.UnescapeString(m[1])) {
			t.Fatalf("image source %q: %s", m[1], out)
		}
	}
}

// FuzzEscapeMarkdown places escaped text where the notice templates do (in a sentence, at the start
// of a line, in a table cell): it must come out as the very same text, with no markup of its own.
func FuzzEscapeMarkdown(f *testing.F) {
	for _, seed := range []string{
		"江南化工有限公司", "[x](http://evil) ![](photo:5)", "<img src=x onerror=alert(1)>", "*a* _b_ `c` ~~d~~",
		"# 标题", "- 列表", "1. 一", "> 引用", "a | b", "www.evil.example", "a@b.example", "https://evil.example/x",
		"&amp; &#91;", "---", "===", "a\\", "行一\n行二\r\n\n    缩进", "  前后空格  ", "\x00", "\t制表",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escapeMarkdown(s)
		want := strings.TrimSpace(strings.Map(func(r rune) rune {
			switch r {
			case '\r', '\n':
				return ' '
			case 0:
				return utf8.RuneError
			}
			return r
		}, s))
		if want == "" {
			return
		}
		for _, tc := range []struct {
			content, element string
		}{
			{"前文 " + e, "p"},
			{e, "p"},
			{"| 列 |\n| --- |\n| " + e + " |", "td"},
		} {
			out := fuzzSite.render(tc.content, nil)
			var text strings.Builder
			rest := out
			for _, m := range tagRE.FindAllStringSubmatchIndex(out, -1) {
				tag := out[m[4]:m[5]]
				if tag != tc.element && !(tc.element == "td" && strings.Contains("table thead tbody tr th", tag)) {
					t.Fatalf("%q as %q renders a <%s>: %s", s, tc.content, tag, out)
				}
			}
			if tc.element == "td" {
				rest = out[strings.Index(out, "<td>")+4 : strings.Index(out, "</td>")]
			}
			text.WriteString(html.UnescapeString(tagRE.ReplaceAllString(rest, "")))
			got := strings.TrimSpace(text.String())
			if tc.element == "p" && strings.HasPrefix(tc.content, "前文 ") {
				got = strings.TrimSpace(strings.TrimPrefix(got, "前文"))
			}
			if got != want {
				t.Fatalf("%q as %q reads %q: %s", s, tc.content, got, out)
			}
		}
	})
}
