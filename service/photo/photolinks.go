package photo

import (
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// MaxPerRecord bounds how many photos one record (or one area of a check) may carry.
const MaxPerRecord = 20

// Owner names a record that uses photos. Role tells apart several sets on one record (e.g. a
// hazard's discovery photos and a rectification's after-photos). EnterpriseID is the enterprise
// whose users may see the record; nil means every signed-in user.
type Owner struct {
	Type         string
	ID           uint64
	Role         string
	EnterpriseID *uint64
}

// Linked is a photo as a record uses it.
type Linked struct {
	model.Photo
	OwnerID uint64
	Role    string
}

// Link attaches photos to owner inside tx, in the given order. Each photo must exist and have
// been uploaded by the actor; anything else is a validation error on field. required asks for at
// least one photo. The caller runs it in the transaction that creates the record, so a failure
// leaves neither.
func Link(tx *gorm.DB, actor service.Actor, owner Owner, ids []uint64, field string, required bool, now time.Time) error {
	ids = service.UniqueIDs(ids)
	switch {
	case len(ids) == 0 && required:
		return service.Invalid(field, "请至少上传一张照片")
	case len(ids) == 0:
		return nil
	case len(ids) > MaxPerRecord:
		return service.Invalid(field, "照片不能超过 20 张")
	}
	var found []uint64
	if err := tx.Model(&model.Photo{}).Where("id IN ? AND uploader_id = ?", ids, actor.ID).Pluck("id", &found).Error; err != nil {
		return err
	}
	if len(found) != len(ids) {
		return service.Invalid(field, "照片不存在或不是您上传的，请重新上传")
	}
	links := make([]model.PhotoLink, len(ids))
	for i, id := range ids {
		links[i] = model.PhotoLink{PhotoID: id, OwnerType: owner.Type, OwnerID: owner.ID, Role: owner.Role, EnterpriseID: owner.EnterpriseID, Position: i}
	}
	if err := tx.Create(&links).Error; err != nil {
		return err
	}
	return tx.Model(&model.Photo{}).Where("id IN ? AND linked_at IS NULL", ids).Update("linked_at", now).Error
}

// Unlink removes the links of photoIDs from owner (its type, id and role) inside tx, for a record
// whose photos are replaced.
func Unlink(tx *gorm.DB, owner Owner, photoIDs []uint64) error {
	return tx.Where("owner_type = ? AND owner_id = ? AND role = ? AND photo_id IN ?", owner.Type, owner.ID, owner.Role, photoIDs).
		Delete(&model.PhotoLink{}).Error
}

// ByOwner loads the photos linked to the owners of ownerType, grouped by owner id, each group in
// link order. One query, whatever the number of owners.
func ByOwner(db *gorm.DB, ownerType string, ownerIDs []uint64) (map[uint64][]Linked, error) {
	out := map[uint64][]Linked{}
	if len(ownerIDs) == 0 {
		return out, nil
	}
	var rows []Linked
	err := db.Table("photo_links").
		Select("photos.*, photo_links.owner_id, photo_links.role").
		Joins("JOIN photos ON photos.id = photo_links.photo_id").
		Where("photo_links.owner_type = ? AND photo_links.owner_id IN ?", ownerType, service.UniqueIDs(ownerIDs)).
		Order("photo_links.owner_id, photo_links.role, photo_links.position").
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.OwnerID] = append(out[r.OwnerID], r)
	}
	return out, nil
}

// WithRole keeps the photos of one role.
func WithRole(photos []Linked, role string) []model.Photo {
	out := []model.Photo{}
	for _, p := range photos {
		if p.Role == role {
			out = append(out, p.Photo)
		}
	}
	return out
}
