package hazard

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// nextCode hands out the next hazard code of the park-local day of now, YH-YYYYMMDD-NNNN, inside the
// creating transaction tx, from the day's counter (service.NextInSequence).
func (s *Service) nextCode(tx *gorm.DB, now time.Time) (string, error) {
	day := s.park.DateOf(now).Format("20060102")
	n, err := service.NextInSequence(tx, model.CounterHazardCode, day)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("YH-%s-%04d", day, n), nil
}
