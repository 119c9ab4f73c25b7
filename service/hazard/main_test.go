package hazard_test

import (
	"testing"

	"parksafe/database/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
