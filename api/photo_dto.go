package api

import (
	"time"

	"parksafe/model"
)

// PhotoLinker makes the signed, expiring links under which a photo and its thumbnail are served
// without an Authorization header (the mini-program's <image src> cannot send one).
type PhotoLinker interface {
	Links(p *model.Photo) (url, thumbURL string)
}

// PhotoResponse is a photo with fresh signed links.
type PhotoResponse struct {
	ID          uint64     `json:"id" example:"12"`
	URL         string     `json:"url"`
	ThumbURL    string     `json:"thumb_url"`
	SHA256      string     `json:"sha256"`
	Size        int64      `json:"size" example:"2483011"`
	Width       int        `json:"width" example:"4000"`
	Height      int        `json:"height" example:"3000"`
	ContentType string     `json:"content_type" example:"image/jpeg"`
	TakenAt     *time.Time `json:"taken_at"`
	Latitude    *float64   `json:"latitude"`
	Longitude   *float64   `json:"longitude"`
	// ExifTakenAt, ExifLatitude and ExifLongitude are what the file itself carried, when it did.
	ExifTakenAt   *time.Time `json:"exif_taken_at,omitempty"`
	ExifLatitude  *float64   `json:"exif_latitude,omitempty"`
	ExifLongitude *float64   `json:"exif_longitude,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

func (s *Server) photo(p *model.Photo) PhotoResponse {
	out := PhotoResponse{ID: p.ID, SHA256: p.SHA256, Size: p.Size, Width: p.Width, Height: p.Height, ContentType: p.ContentType,
		TakenAt: s.localPtr(p.TakenAt), Latitude: p.Latitude, Longitude: p.Longitude, ExifTakenAt: s.localPtr(p.ExifTakenAt),
		ExifLatitude: p.ExifLatitude, ExifLongitude: p.ExifLongitude, CreatedAt: s.local(p.CreatedAt)}
	if s.PhotoLinks != nil {
		out.URL, out.ThumbURL = s.PhotoLinks.Links(p)
	}
	return out
}

// photos converts a list of photos, never returning nil (clients get [] rather than null).
func (s *Server) photos(ps []model.Photo) []PhotoResponse {
	out := make([]PhotoResponse, 0, len(ps))
	for i := range ps {
		out = append(out, s.photo(&ps[i]))
	}
	return out
}
