package api_test

import "strconv"

func itoa(id uint64) string { return strconv.FormatUint(id, 10) }
