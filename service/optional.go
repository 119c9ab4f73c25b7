package service

// EqualPtr reports whether two optional values are both absent, or both present and equal.
func EqualPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
