package hazard

import (
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// LedgerSheet is the name of the ledger's worksheet.
const LedgerSheet = "隐患台账"

// LedgerHeaders are the ledger's column headings, in order.
var LedgerHeaders = []string{"编号", "企业", "级别", "类别", "标题", "描述", "位置", "上报人", "发现时间", "整改期限", "状态", "销号时间", "驳回次数"}

// maxLedgerRows stays below a worksheet's 1,048,576 rows.
const maxLedgerRows = 1_000_000

// ledgerBatch is how many hazards are held in memory at once while the ledger is written.
const ledgerBatch = 1000

// Export writes the hazards matching f (scoped to the actor like List) as an .xlsx hazard ledger
// (隐患台账), oldest first. Rows go through excelize's StreamWriter, which spills to a temporary
// file, and are read in keyset-paged batches, so memory stays flat however many hazards match. The
// caller writes the file out and closes it (which removes the temporary file).
func (s *Service) Export(ctx context.Context, actor service.Actor, f Filter) (*excelize.File, error) {
	db := s.db.WithContext(ctx)
	q, err := s.filtered(db, actor, f, true)
	if err != nil {
		return nil, err
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, err
	}
	if total > maxLedgerRows {
		return nil, service.Invalid("to", fmt.Sprintf("符合条件的隐患有 %d 条，超过一次可导出的 %d 条，请缩小日期范围", total, maxLedgerRows))
	}
	file := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			file.Close()
		}
	}()
	if err := file.SetSheetName("Sheet1", LedgerSheet); err != nil {
		return nil, err
	}
	sw, err := file.NewStreamWriter(LedgerSheet)
	if err != nil {
		return nil, err
	}
	for i, w := range []float64{19, 24, 10, 10, 28, 48, 24, 10, 17, 11, 12, 17, 9} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	bold, err := file.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	header := make([]any, len(LedgerHeaders))
	for i, h := range LedgerHeaders {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 18}); err != nil {
		return nil, err
	}
	row, last := 2, uint64(0)
	for {
		var batch []model.Hazard
		err := q.Session(&gorm.Session{}).Where("hazards.id > ?", last).Order("hazards.id").Limit(ledgerBatch).
			Preload("Enterprise", selectIDName).Preload("Reporter", selectIDName).Find(&batch).Error
		if err != nil {
			return nil, err
		}
		for i := range batch {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, s.ledgerRow(&batch[i])); err != nil {
				return nil, err
			}
			row++
		}
		if len(batch) < ledgerBatch {
			break
		}
		last = batch[len(batch)-1].ID
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	ok = true
	return file, nil
}

func selectIDName(db *gorm.DB) *gorm.DB { return db.Select("id", "name") }

func (s *Service) ledgerRow(h *model.Hazard) []any {
	const stamp = "2006-01-02 15:04"
	ent, reporter, closed := "", "", ""
	if h.Enterprise != nil {
		ent = h.Enterprise.Name
	}
	if h.Reporter != nil {
		reporter = h.Reporter.Name
	}
	if h.ClosedAt != nil {
		closed = h.ClosedAt.In(s.park.Loc).Format(stamp)
	}
	status := StatusLabels[h.Status]
	if s.Overdue(h) {
		status += "（逾期）"
	}
	return []any{h.Code, ent, LevelLabels[h.Level], CategoryLabels[h.Category], h.Title, h.Description,
		h.Location, reporter, h.CreatedAt.In(s.park.Loc).Format(stamp), h.Deadline, status, closed, h.RejectCount}
}
