package service

// TruncateRunes cuts s to at most n runes, for columns and messages measured in characters.
func TruncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
