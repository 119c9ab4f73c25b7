package bulletin

import (
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"parksafe/model"
	"parksafe/service"
)

// astNesting is how deeply block quotes and list items nest in the parsed content.
func astNesting(content string) int {
	deepest := 0
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		if n.Kind() == ast.KindBlockquote || n.Kind() == ast.KindListItem {
			depth++
			deepest = max(deepest, depth)
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c, depth)
		}
	}
	walk(markdown.Parser().Parse(text.NewReader([]byte(content))), 0)
	return deepest
}

// nestingCases are contents whose nesting the estimate must not underrate.
var nestingCases = []string{
	"",
	"正文",
	"> a",
	"> > > a",
	">>>>a",
	"- a\n  - b\n    - c\n      - d",
	"1. a\n   1. b\n      1. c",
	"1) a\n   2) b",
	"- > - > a",
	"> - a\n>   - b\n>     > c",
	"* a\n\t* b\n\t\t* c",
	"-\n  - b\n    -\n      c",
	"> a\r> > b\r> > > c",
	"> a\r\n> > b\r\n> > > > c",
	"- a\n\n  > b\n\n  > - c",
	"+ a\n  + b\n    + c\n  lazy\n      + d",
	"      indented code\n- a",
	"- - - -",
	strings.Repeat("> ", 20) + "a",
	strings.Repeat("- ", 20) + "a",
}

func TestMarkdownNestingIsAnUpperBound(t *testing.T) {
	for _, c := range nestingCases {
		if est, got := markdownNesting(c), astNesting(c); est < got {
			t.Errorf("%q: estimated %d, parsed %d", c, est, got)
		}
	}
	var deep strings.Builder
	for d := range 20 {
		deep.WriteString(strings.Repeat("  ", d) + "- item\n")
	}
	for _, tc := range []struct {
		content string
		want    int
	}{
		{"正文\n\n第二段", 0},
		{"> 引用", 1},
		{strings.Repeat(">", 17) + " a", 17},
		{deep.String(), 20},
		{"    缩进的代码\n        更多", 0}, // indentation alone opens nothing
	} {
		if got := markdownNesting(tc.content); got != tc.want {
			t.Errorf("markdownNesting(%.40q) = %d, want %d", tc.content, got, tc.want)
		}
	}
}

// TestBulletinContentCheckedBeforeParsing validates content too long or too deeply nested without
// parsing it: parsing either costs seconds, so the check may allocate next to nothing.
func TestBulletinContentCheckedBeforeParsing(t *testing.T) {
	s := &Service{site: newHTMLRenderer(regexp.MustCompile(`^photo:\d+$`), "photo")}
	for name, content := range map[string]string{
		"300,000 characters":                strings.Repeat("> ", 150_000),
		"a quote nested 100,000 times":      strings.Repeat(">", 100_000),
		"lists nested 10,000 times":         strings.Repeat("- ", 10_000) + "a",
		"a quote nested 17 times, 40 lines": strings.Repeat(strings.Repeat("> ", 17)+"a\n", 40),
	} {
		var err error
		allocs := testing.AllocsPerRun(1, func() {
			err = s.apply(&model.Bulletin{}, Input{ContentMarkdown: &content}, false)
		})
		if service.ErrorCode(err) != service.CodeValidation {
			t.Errorf("%s: err = %v, want a validation error", name, err)
		}
		if allocs > 50 {
			t.Errorf("%s: %v allocations to refuse it: the content was parsed", name, allocs)
		}
	}
}

// astTableCells counts the cells goldmark renders for content's tables.
func astTableCells(content string) int {
	n := 0
	_ = ast.Walk(markdown.Parser().Parse(text.NewReader([]byte(content))), func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && node.Kind() == east.KindTableCell {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}

func TestMarkdownTableCellsIsAnUpperBound(t *testing.T) {
	wide := "|" + strings.Repeat("a|", 40) + "\n|" + strings.Repeat("-|", 40) + "\n" + strings.Repeat("|x\n", 30)
	for _, c := range []string{
		"",
		"正文\n\n| 企业 | 结果 |\n|---|:-:|\n| 甲 | 合格 |\n| 乙 | 不合格 |\n",
		"a | b\n--|--\n1 | 2\n3 | 4\n\n后文",
		"> | a | b |\n> |---|---|\n> | 1 | 2 |",
		"- item\n\n  | a | b |\n  | - | - |\n  | 1 | 2 |",
		"|a|\n|-|\n|b|\n\n|c|d|e|\n|-|-|-|\n|f|",
		wide,
		"---\n| not | a table |\n",
	} {
		if est, got := markdownTableCells(c), astTableCells(c); est < got {
			t.Errorf("markdownTableCells(%.40q) = %d, goldmark renders %d cells", c, est, got)
		}
	}
	if n := markdownTableCells(wide); n != 40*32 {
		t.Errorf("wide table: %d cells, want %d", n, 40*32)
	}
}
