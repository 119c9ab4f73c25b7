package api_test

import (
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
)

// fault makes statements of one kind (create, query, update, delete) that match fail with err, the
// next n times, as a dropped connection or a database restart would. It is registered on the app's
// own database, so the failure happens inside the real request.
type fault struct {
	left atomic.Int32
	hits atomic.Int32
}

func injectFault(t *testing.T, db *gorm.DB, kind string, n int, err error, match func(*gorm.Statement) bool) *fault {
	t.Helper()
	f := &fault{}
	f.left.Store(int32(n))
	name := "test:fault:" + t.Name() + ":" + kind
	fn := func(db *gorm.DB) {
		if db.Error == nil && match(db.Statement) && f.left.Add(-1) >= 0 {
			f.hits.Add(1)
			db.AddError(err)
		}
	}
	var reg error
	switch kind {
	case "create":
		reg = db.Callback().Create().Before("gorm:create").Register(name, fn)
	case "query":
		reg = db.Callback().Query().Before("gorm:query").Register(name, fn)
	case "update":
		reg = db.Callback().Update().Before("gorm:update").Register(name, fn)
	case "delete":
		reg = db.Callback().Delete().Before("gorm:delete").Register(name, fn)
	default:
		t.Fatalf("unknown statement kind %q", kind)
	}
	if reg != nil {
		t.Fatal(reg)
	}
	return f
}

// table matches statements on one table.
func table(name string) func(*gorm.Statement) bool {
	return func(s *gorm.Statement) bool { return s.Table == name }
}

// setting matches updates of one table that set column.
func setting(tableName, column string) func(*gorm.Statement) bool {
	return func(s *gorm.Statement) bool {
		m, ok := s.Dest.(map[string]any)
		_, sets := m[column]
		return s.Table == tableName && ok && sets
	}
}

// outsideTx matches statements on a table that run outside a transaction.
func outsideTx(name string) func(*gorm.Statement) bool {
	return func(s *gorm.Statement) bool {
		_, inTx := s.ConnPool.(gorm.TxCommitter)
		return s.Table == name && !inTx
	}
}
