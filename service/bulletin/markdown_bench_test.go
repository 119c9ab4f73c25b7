package bulletin

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"parksafe/model"
	"parksafe/service/photo"
)

// benchNotice is a long notice of the kind the office writes: sections, tables and photos, close to
// the 100,000-character limit.
func benchNotice() string {
	var b strings.Builder
	for i := 0; b.Len() < 250_000; i++ { // bytes; about 95,000 characters
		fmt.Fprintf(&b, "## 第%d项\n\n各入园企业要**严格落实**门前三包责任，详见[通知](https://www.mem.gov.cn/%d)。\n\n", i, i)
		b.WriteString("| 企业 | 区域 | 问题 | 期限 |\n| --- | --- | --- | --- |\n| 江南化工 | 沟渠 | 堆放杂物 | 2026-05-12 |\n\n")
		fmt.Fprintf(&b, "![现场照片](photo:%d)\n\n> 整改要求：清理完毕后上传照片。\n\n", i%100+1)
	}
	return b.String()
}

// BenchmarkBulletinRead compares what a read of a long notice cost when its Markdown was rendered on
// every read with what it costs to serve the HTML stored at write time.
func BenchmarkBulletinRead(b *testing.B) {
	s := &Service{site: newHTMLRenderer(regexp.MustCompile(`^photo:\d+$`), "photo"), Photos: benchLinks{}}
	content := benchNotice()
	var linked []photo.Linked
	for id := uint64(1); id <= 100; id++ {
		linked = append(linked, photo.Linked{Photo: model.Photo{ID: id}, Role: photoContent})
	}
	resolve := func(id uint64) string { return fmt.Sprintf("photo:%d", id) }
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			s.signPhotos(s.site.render(content, resolve), linked)
		}
	})
	stored := s.storedHTML(content)
	b.Run("stored", func(b *testing.B) {
		for b.Loop() {
			s.signPhotos(stored, linked)
		}
	})
}

// BenchmarkBulletinContentCheck is the validation of content refused for its length or nesting.
func BenchmarkBulletinContentCheck(b *testing.B) {
	s := &Service{site: newHTMLRenderer(regexp.MustCompile(`^photo:\d+$`), "photo")}
	for name, content := range map[string]string{
		"300k-quote": strings.Repeat("> ", 150_000),
		"100k-quote": strings.Repeat(">", 100_000),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = s.apply(&model.Bulletin{}, Input{ContentMarkdown: &content}, false)
			}
		})
	}
}

type benchLinks struct{}

func (benchLinks) Links(p *model.Photo) (string, string) {
	u := fmt.Sprintf("http://parksafe.test/files/photos/%d/orig?exp=1796000000&sig=0123456789abcdef", p.ID)
	return u, u
}

func (benchLinks) WeChatImage(ctx context.Context, p *model.Photo) (string, []byte, error) {
	return "", nil, nil
}
