package service

import (
	"context"
	"io"

	"parksafe/model"
)

// Links returns fresh signed links of a photo and its thumbnail.
func (s *Photos) Links(p *model.Photo) (url, thumbURL string) { return s.signer.Links(p) }

// Original reads a photo's stored bytes, for re-publishing it elsewhere (the Official Account).
func (s *Photos) Original(ctx context.Context, p *model.Photo) ([]byte, error) {
	b, err := s.store.Open(ctx, p.StorageKey)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return io.ReadAll(io.LimitReader(b, s.cfg.MaxBytes+1))
}
