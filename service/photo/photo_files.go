package photo

import "parksafe/model"

// Links returns fresh signed links of a photo and its thumbnail.
func (s *Service) Links(p *model.Photo) (url, thumbURL string) { return s.signer.Links(p) }
