// Package photo owns uploaded photos: the pipeline that stages, checks, decodes under a memory
// budget and renders them upright (EXIF orientation) for thumbnails and WeChat, the links that
// attach them to records and decide who may read them, the signed URLs they are served under, and
// the purge of photos no record took up and of files interrupted uploads left behind.
package photo

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/semaphore"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/jobs"
	"parksafe/storage"
)

// Photo defaults, used when Config leaves them zero.
const (
	DefaultMaxBytes  = 10 << 20
	DefaultMaxPixels = 40_000_000
	// ThumbLongSide is the thumbnail's long side in pixels: sharp in a list on a phone, ~30 KB.
	ThumbLongSide = 480
	// UnlinkedTTL is how long a photo attached to no record is kept.
	UnlinkedTTL = 24 * time.Hour
	// maxFutureSkew is how far ahead of the server a device's capture time may be (a phone's clock
	// a little fast, a time zone set wrong) before it is refused as absurd.
	maxFutureSkew = 24 * time.Hour
	thumbQuality  = 80
)

// OwnerBulletin is the owner type of a bulletin's photos: their links name no enterprise, and
// count for every signed-in user only once the bulletin is published.
const OwnerBulletin = "bulletin"

// Photo variants served under signed links.
const (
	Original  = "orig"
	Thumbnail = "thumb"
)

// Config sizes the photo pipeline.
type Config struct {
	MaxBytes  int64 // largest accepted file
	MaxPixels int   // largest accepted width × height, checked from the header before decoding
	TempDir   string
	// DecodeBudget bounds the memory of images being decoded at once, in bytes; 0 sizes it for
	// GOMAXPROCS×2 twelve-megapixel phone photos. An image larger than the budget still runs, alone.
	DecodeBudget int64
}

// UploadMeta is what the device says about a photo: capture time and position, all optional.
type UploadMeta struct {
	TakenAt  *time.Time
	Lat, Lng *float64
}

// Service stores uploaded photos and their thumbnails, serves them under signed links and purges the
// ones no record took up.
type Service struct {
	db     *gorm.DB
	store  storage.Store
	park   service.ParkTime
	signer *Signer
	cfg    Config
	log    *slog.Logger
	// decode rations decoding by estimated decoded bytes: a 4000×3000 JPEG is tens of megabytes
	// once decoded, and twenty phones uploading at once must not hold twenty of them.
	decode *semaphore.Weighted
}

// New returns the service.
func New(db *gorm.DB, store storage.Store, park service.ParkTime, signer *Signer, cfg Config, log *slog.Logger) *Service {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.TempDir == "" {
		cfg.TempDir = os.TempDir()
	}
	if cfg.DecodeBudget <= 0 {
		cfg.DecodeBudget = int64(runtime.GOMAXPROCS(0)*2) * 4000 * 3000 * 3
	}
	return &Service{db: db, store: store, park: park, signer: signer, cfg: cfg, log: log, decode: semaphore.NewWeighted(cfg.DecodeBudget)}
}

// Register schedules on queue the half-hourly purge of photos no record took up and the daily sweep
// of what interrupted uploads left in the blob store.
func (s *Service) Register(queue *jobs.Queue) {
	jobs.EveryCounted(queue, JobPurge, 30*time.Minute, "purged unlinked photos", s.PurgeUnlinked)
	jobs.EveryCounted(queue, JobSweep, 24*time.Hour, "removed files of interrupted uploads", s.SweepOrphans)
}

// Signer returns the link signer.
func (s *Service) Signer() *Signer { return s.signer }

var (
	errPhotoTooLarge  = &service.Error{Code: service.CodePayloadTooLarge, Message: "照片文件过大"}
	errPhotoPixels    = &service.Error{Code: service.CodePayloadTooLarge, Message: "照片像素过大，请压缩后再上传"}
	errPhotoType      = &service.Error{Code: service.CodeUnsupportedMediaType, Message: "只支持 JPEG、PNG 或 WebP 格式的照片"}
	errPhotoCorrupt   = service.Invalid("file", "照片已损坏或不完整，请重新拍摄或选择")
	errPhotoEmpty     = service.Invalid("file", "请选择要上传的照片")
	errPhotoReadAbort = service.BadRequest("照片上传中断，请重试")
	errPhotoNotFound  = service.NotFound("照片")
	errPhotoLink      = service.Forbidden("照片链接无效或已过期，请刷新后重试")
)

func photoTooLarge(limit int64) *service.Error {
	return &service.Error{Code: service.CodePayloadTooLarge, Message: fmt.Sprintf("照片文件过大，不能超过 %d MB", max(1, limit>>20))}
}

// Staged is an upload read to a temporary file, hashed, and checked by its header: its type,
// size and dimensions are known and acceptable, its pixels not yet decoded. Close removes it.
type Staged struct {
	file        *os.File
	SHA256      string
	Size        int64
	ContentType string
	Width       int // as stored, before orientation
	Height      int
	decodeBytes int64
	exif        exifInfo
}

// Close removes the temporary file.
func (st *Staged) Close() error {
	if st == nil || st.file == nil {
		return nil
	}
	st.file.Close()
	err := os.Remove(st.file.Name())
	st.file = nil
	return err
}

// readFailure marks an error of the upload stream (as opposed to the disk it is written to).
type readFailure struct{ err error }

func (e readFailure) Error() string { return e.err.Error() }
func (e readFailure) Unwrap() error { return e.err }

type failingReader struct{ r io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		err = readFailure{err}
	}
	return n, err
}

// Stage reads an upload into a temporary file while hashing it, refusing it as soon as it is seen to
// be too large (never buffering more than the limit) or not a JPEG, PNG or WebP, and checks its
// dimensions from the header alone, so a decompression bomb is refused before any pixel is decoded.
// declared is the size the client announced, or -1. A stream error that is a *Error is returned as is.
func (s *Service) Stage(ctx context.Context, r io.Reader, declared int64) (_ *Staged, err error) {
	if declared > s.cfg.MaxBytes {
		return nil, photoTooLarge(s.cfg.MaxBytes)
	}
	r = failingReader{io.LimitReader(r, s.cfg.MaxBytes+1)}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, streamError(err)
	}
	head = head[:n]
	if n == 0 {
		return nil, errPhotoEmpty
	}
	ct := sniffImage(head)
	if ct == "" {
		return nil, errPhotoType
	}
	if err := os.MkdirAll(s.cfg.TempDir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(s.cfg.TempDir, "upload-*")
	if err != nil {
		return nil, err
	}
	st := &Staged{file: f, ContentType: ct}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	h := sha256.New()
	w := io.MultiWriter(f, h)
	if _, err := w.Write(head); err != nil {
		return nil, err
	}
	rest, err := io.Copy(w, ctxReader{ctx, r})
	if err != nil {
		return nil, streamError(err)
	}
	st.Size = int64(n) + rest
	if st.Size > s.cfg.MaxBytes {
		return nil, photoTooLarge(s.cfg.MaxBytes)
	}
	st.SHA256 = hex.EncodeToString(h.Sum(nil))

	cfg, err := codecs[ct].DecodeConfig(st.reader())
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errPhotoCorrupt
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(s.cfg.MaxPixels) {
		return nil, errPhotoPixels
	}
	st.Width, st.Height, st.decodeBytes = cfg.Width, cfg.Height, decodedBytes(cfg)
	st.exif = readExif(st.reader(), ct, s.park.Loc)
	return st, nil
}

// reader rewinds the staged file and reads it buffered.
func (st *Staged) reader() io.Reader {
	st.file.Seek(0, io.SeekStart)
	return bufio.NewReaderSize(st.file, 64<<10)
}

// original reads the staged file from its start with its length known, which a bucket needs to
// take it in one streamed PUT rather than as a multipart upload of buffered parts.
func (st *Staged) original() *io.SectionReader { return io.NewSectionReader(st.file, 0, st.Size) }

// streamError keeps domain errors from the stream (the HTTP layer's size limit) and turns any other
// read failure into a 400; errors of our own disk stay internal.
func streamError(err error) error {
	var de *service.Error
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var rf readFailure
	if errors.As(err, &rf) {
		return errPhotoReadAbort
	}
	return err
}

// ctxReader stops reading a slow upload once its request is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// check checks the device's metadata; each bad field is named.
func (m UploadMeta) check(now time.Time) error {
	var v service.Validator
	if m.TakenAt != nil {
		v.Check(!m.TakenAt.After(now.Add(maxFutureSkew)), "taken_at", "拍摄时间不能晚于当前时间")
	}
	if m.Lat != nil {
		v.Check(!math.IsNaN(*m.Lat) && *m.Lat >= -90 && *m.Lat <= 90, "latitude", "纬度应在 -90 到 90 之间")
	}
	if m.Lng != nil {
		v.Check(!math.IsNaN(*m.Lng) && *m.Lng >= -180 && *m.Lng <= 180, "longitude", "经度应在 -180 到 180 之间")
	}
	if (m.Lat == nil) != (m.Lng == nil) {
		v.Check(m.Lat != nil, "latitude", "请同时提供纬度和经度")
		v.Check(m.Lng != nil, "longitude", "请同时提供纬度和经度")
	}
	return v.Err()
}

// CheckMeta validates the device's metadata, so a bad form can be refused before its file is read.
func (s *Service) CheckMeta(meta UploadMeta) error { return meta.check(s.park.Now()) }

// Upload stages and commits a photo in one call.
func (s *Service) Upload(ctx context.Context, actor service.Actor, r io.Reader, declared int64, meta UploadMeta) (*model.Photo, error) {
	if err := meta.check(s.park.Now()); err != nil {
		return nil, err
	}
	st, err := s.Stage(ctx, r, declared)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return s.Commit(ctx, actor, st, meta)
}

// Commit decodes a staged photo (refusing one that does not decode: truncated or corrupt), renders
// its upright thumbnail, stores original and thumbnail (once per content hash) and records the
// upload for actor. The metadata is checked first, so a bad form costs no decoding.
func (s *Service) Commit(ctx context.Context, actor service.Actor, st *Staged, meta UploadMeta) (*model.Photo, error) {
	now := s.park.Now()
	if err := meta.check(now); err != nil {
		return nil, err
	}
	thumb, err := s.render(ctx, st)
	if err != nil {
		return nil, err
	}
	w, h := orientedSize(st.Width, st.Height, st.exif.Orientation)
	p := &model.Photo{
		UploaderID: actor.ID, SHA256: st.SHA256, Size: st.Size, Width: w, Height: h, ContentType: st.ContentType,
		StorageKey: blobKey("photos", st.SHA256, extOf(st.ContentType)), ThumbKey: blobKey("thumbs", st.SHA256, ".jpg"),
		TakenAt: utcPtr(meta.TakenAt), Latitude: meta.Lat, Longitude: meta.Lng,
		ExifTakenAt: st.exif.TakenAt, ExifLatitude: st.exif.Lat, ExifLongitude: st.exif.Lng, CreatedAt: now,
	}
	// The bytes go to the store before the transaction, so that the hash's row is held only for the
	// moment of the insert, not for a whole transfer.
	if err := s.putBlobs(ctx, p, st, thumb); err != nil {
		return nil, err
	}
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		p.ID = 0
		if err := lockBlob(tx, p.SHA256, now); err != nil {
			return err
		}
		// A deletion on any instance may have removed the bytes between the Put and the lock; under
		// the lock none can, so what is there now stays for the photo row.
		if err := s.putBlobs(ctx, p, st, thumb); err != nil {
			return err
		}
		return tx.Create(p).Error
	})
	if err != nil {
		// No row owns the blobs just stored: remove them unless an earlier upload shares them. The
		// cleanup is no write of the request's, so it must not fence the request's idempotency claim.
		cleanup := service.WithClaim(context.WithoutCancel(ctx), nil)
		if _, derr := s.dropIfUnused(cleanup, p.SHA256, p.StorageKey, p.ThumbKey); derr != nil {
			s.log.WarnContext(ctx, "remove blobs of a failed upload", "sha256", p.SHA256, "err", derr)
		}
		return nil, err
	}
	return p, nil
}

// putBlobs stores the original and the thumbnail of p unless they are there already.
func (s *Service) putBlobs(ctx context.Context, p *model.Photo, st *Staged, thumb []byte) error {
	if err := s.putOnce(ctx, p.StorageKey, st.original()); err != nil {
		return fmt.Errorf("store photo: %w", err)
	}
	if err := s.putOnce(ctx, p.ThumbKey, bytes.NewReader(thumb)); err != nil {
		return fmt.Errorf("store thumbnail: %w", err)
	}
	return nil
}

// lockBlob holds the row of content hash sha until tx ends, creating it when missing. It is an
// upsert rather than a SELECT … FOR UPDATE because on MySQL the upsert locks the row whether it
// inserts it or finds it, where a locking read of a missing row locks only a gap that two
// transactions can share and then deadlock on by both inserting. SQLite has no row locks: each of
// its transactions holds the database's write lock from BEGIN.
func lockBlob(tx *gorm.DB, sha string, now time.Time) error {
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "sha256"}},
		DoUpdates: clause.Assignments(map[string]any{"sha256": gorm.Expr("sha256")}),
	}).Create(&model.Blob{SHA256: sha, CreatedAt: now}).Error
}

// dropIfUnused deletes the objects under keys, all of content hash sha, and the hash's row when no
// photo has the hash, and reports whether it did. It holds the hash's row while it counts and
// deletes, so an upload of the same bytes on any instance either inserts its photo first (and the
// bytes stay) or finds them gone once it holds the row (and stores them again).
func (s *Service) dropIfUnused(ctx context.Context, sha string, keys ...string) (bool, error) {
	dropped := false
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		dropped = false
		if err := lockBlob(tx, sha, s.park.Now()); err != nil {
			return err
		}
		// A locking read sees every photo committed before the lock was taken, where a plain one
		// could answer from an older snapshot on MySQL.
		var n int64
		if err := tx.Model(&model.Photo{}).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
			Where("sha256 = ?", sha).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		for _, key := range keys {
			if err := s.store.Delete(ctx, key); err != nil {
				return err
			}
		}
		dropped = true
		return tx.Where("sha256 = ?", sha).Delete(&model.Blob{}).Error
	})
	return dropped, err
}

// render decodes the staged image and returns its upright JPEG thumbnail.
func (s *Service) render(ctx context.Context, st *Staged) ([]byte, error) {
	t, err := s.upright(ctx, st.reader(), st.ContentType, st.decodeBytes, st.exif.Orientation, ThumbLongSide)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, t, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// putOnce stores r under key unless identical bytes are already there (keys derive from the hash).
func (s *Service) putOnce(ctx context.Context, key string, r io.Reader) error {
	ok, err := s.store.Exists(ctx, key)
	if err != nil || ok {
		return err
	}
	return s.store.Put(ctx, key, r)
}

// blobKey spreads blobs over 256 directories by the hash's first byte: photos/ab/abcdef….jpg.
func blobKey(prefix, sha, ext string) string {
	return prefix + "/" + sha[:2] + "/" + sha + ext
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Get returns a photo the actor may see: its uploader, or anyone who may see a record using it (a
// link with no enterprise is visible to every signed-in user; staff see every linked photo; an
// enterprise user those linked to its own enterprise's records). Anyone else gets 404.
func (s *Service) Get(ctx context.Context, actor service.Actor, id uint64) (*model.Photo, error) {
	var p model.Photo
	err := s.db.WithContext(ctx).First(&p, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errPhotoNotFound
	} else if err != nil {
		return nil, err
	}
	if p.UploaderID == actor.ID {
		return &p, nil
	}
	q := s.db.WithContext(ctx).Model(&model.PhotoLink{}).Where("photo_id = ?", id)
	// A link for everyone counts only once its record is public: a bulletin's photos (which may be
	// any enterprise's, in a generated weekly notice) stay the office's while it is a draft.
	public := s.db.Model(&model.Bulletin{}).Select("id").Where("status = ?", model.BulletinPublished)
	forAll := s.db.Where("enterprise_id IS NULL").Where(s.db.Where("owner_type <> ?", OwnerBulletin).Or("owner_id IN (?)", public))
	switch {
	case actor.IsStaff():
	case actor.IsEnterprise() && actor.EnterpriseID != 0:
		q = q.Where(s.db.Where(forAll).Or("enterprise_id = ?", actor.EnterpriseID))
	default:
		q = q.Where(forAll)
	}
	var n int64
	if err := q.Limit(1).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errPhotoNotFound
	}
	return &p, nil
}

// File is an opened photo rendition ready to serve.
type File struct {
	*storage.Blob
	ContentType string
	ETag        string
	Expires     time.Time
}

// OpenSigned opens a rendition named by a signed link (id, variant "orig" or "thumb", exp, sig). A
// tampered or expired link is 403; a photo since removed is 404.
func (s *Service) OpenSigned(ctx context.Context, id, variant, exp, sig string) (*File, error) {
	expires, photoID, err := s.signer.Verify(id, variant, exp, sig)
	if err != nil {
		return nil, err
	}
	var p model.Photo
	err = s.db.WithContext(ctx).First(&p, photoID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errPhotoNotFound
	} else if err != nil {
		return nil, err
	}
	key, ct := p.StorageKey, p.ContentType
	if variant == Thumbnail {
		key, ct = p.ThumbKey, ctJPEG
	}
	b, err := s.store.Open(ctx, key)
	if errors.Is(err, storage.ErrNotExist) {
		return nil, errPhotoNotFound
	} else if err != nil {
		return nil, err
	}
	return &File{Blob: b, ContentType: ct, ETag: `"` + p.SHA256[:32] + "-" + variant + `"`, Expires: expires}, nil
}

// PurgeUnlinked removes photos that no record took up within UnlinkedTTL of their upload, and
// the blobs no remaining photo shares. It returns how many photos were removed.
func (s *Service) PurgeUnlinked(ctx context.Context) (int, error) {
	cutoff := s.park.Now().Add(-UnlinkedTTL)
	var stale []model.Photo
	err := s.db.WithContext(ctx).Select("id", "sha256", "storage_key", "thumb_key").
		Where("linked_at IS NULL AND created_at < ?", cutoff).
		Where("NOT EXISTS (SELECT 1 FROM photo_links WHERE photo_links.photo_id = photos.id)").
		Order("id").Limit(1000).Find(&stale).Error
	if err != nil || len(stale) == 0 {
		return 0, err
	}
	ids := make([]uint64, len(stale))
	for i, p := range stale {
		ids[i] = p.ID
	}
	// linked_at is checked again: a record may have taken a photo up since the select.
	res := s.db.WithContext(ctx).Where("id IN ? AND linked_at IS NULL", ids).Delete(&model.Photo{})
	if res.Error != nil {
		return 0, res.Error
	}
	seen := map[string]bool{}
	for _, p := range stale {
		if seen[p.SHA256] {
			continue
		}
		seen[p.SHA256] = true
		if _, err := s.dropIfUnused(ctx, p.SHA256, p.StorageKey, p.ThumbKey); err != nil {
			return int(res.RowsAffected), err
		}
	}
	return int(res.RowsAffected), nil
}

// JobPurge removes photos no record took up within a day; scheduled every half hour.
const JobPurge = "photo.purge"

// JobSweep removes what interrupted uploads left in the blob store; scheduled daily.
const JobSweep = "photo.sweep"

// Grace periods of the sweep: a staged upload or a partial write older than partialGrace belongs to
// no request any more; a blob younger than orphanGrace may be one whose row is being written.
const (
	partialGrace = time.Hour
	orphanGrace  = 24 * time.Hour
)

// SweepStaged removes the staged upload files under this instance's TempDir that belong to no
// request any more, and returns how many it removed. The files are on the instance's own disk, so
// every instance sweeps its own (App.Run: at start and then hourly) where the cluster's jobs would
// sweep only the disk of whichever instance claimed them.
func (s *Service) SweepStaged(context.Context) (int, error) {
	cutoff := s.park.Now().Add(-partialGrace)
	matches, err := filepath.Glob(filepath.Join(s.cfg.TempDir, "upload-*"))
	if err != nil {
		return 0, err
	}
	removed := 0
	var errs []error
	for _, m := range matches {
		fi, err := os.Stat(m)
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue // gone meanwhile, or a request's
		}
		if err := os.Remove(m); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// SweepOrphans removes what uploads cut short by a crash, a kill or a failed insert left in the
// blob store, which every instance shares: partial writes, and blobs that no photo row owns. It
// returns how many it removed.
func (s *Service) SweepOrphans(ctx context.Context) (int, error) {
	now := s.park.Now()
	removed, err := s.store.Sweep(ctx, now.Add(-partialGrace))
	if err != nil {
		return removed, err
	}
	for _, prefix := range []string{"photos/", "thumbs/"} {
		n, err := s.sweepOrphanBlobs(ctx, prefix, now.Add(-orphanGrace))
		removed += n
		if err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// sweepOrphanBlobs deletes the blobs under prefix written before cutoff whose content hash (the
// file name, see blobKey) no photo row has, checking in batches.
func (s *Service) sweepOrphanBlobs(ctx context.Context, prefix string, cutoff time.Time) (int, error) {
	const batch = 500
	removed := 0
	keys := map[string]string{} // sha → key
	flush := func() error {
		if len(keys) == 0 {
			return nil
		}
		shas := make([]string, 0, len(keys))
		for sha := range keys {
			shas = append(shas, sha)
		}
		var owned []string
		if err := s.db.WithContext(ctx).Model(&model.Photo{}).Where("sha256 IN ?", shas).Distinct().Pluck("sha256", &owned).Error; err != nil {
			return err
		}
		for _, sha := range owned {
			delete(keys, sha)
		}
		// Each is checked again under its hash's row: an upload of the same bytes may have taken
		// them up since the batch's query.
		for sha, key := range keys {
			dropped, err := s.dropIfUnused(ctx, sha, key)
			if err != nil {
				return err
			}
			if dropped {
				removed++
			}
		}
		clear(keys)
		return nil
	}
	err := s.store.List(ctx, prefix, func(key string, written time.Time) error {
		if !written.Before(cutoff) {
			return nil
		}
		name := path.Base(key)
		sha := strings.TrimSuffix(name, path.Ext(name))
		if len(sha) != 64 {
			return nil // not a blob this service wrote
		}
		keys[sha] = key
		if len(keys) >= batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return removed, err
	}
	return removed, flush()
}
