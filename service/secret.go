package service

import (
	"crypto/sha256"
	"encoding/hex"
)

// HashToken is how opaque tokens and keys are stored: a leaked table does not yield usable tokens,
// and keys compare byte for byte even under MySQL's case- and space-insensitive collations.
func HashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}
