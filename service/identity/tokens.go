package identity

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"parksafe/service"
)

// Token issuer and audience; a token from another issuer or meant for another audience is refused.
const (
	tokenIssuer   = "parksafe"
	tokenAudience = "parksafe-api"
)

// accessClaims are the claims of an access token. AuthVersion ties the token to the account's state
// at issue time.
type accessClaims struct {
	AuthVersion int `json:"av"`
	jwt.RegisteredClaims
}

// TokenSigner issues and checks access tokens (HS256 only).
type TokenSigner struct {
	secret []byte
	ttl    time.Duration
	parser *jwt.Parser
}

// NewTokenSigner returns a signer with the given secret and access-token lifetime. Expiry is judged
// by clock, the same clock that stamps iat and exp, so that a token expires when the service's time
// says so (and tests can move time to see it happen).
func NewTokenSigner(secret []byte, ttl time.Duration, clock service.Clock) *TokenSigner {
	return &TokenSigner{
		secret: secret,
		ttl:    ttl,
		parser: jwt.NewParser(
			jwt.WithTimeFunc(clock.Now),
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(tokenIssuer),
			jwt.WithAudience(tokenAudience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(30*time.Second),
		),
	}
}

// Sign issues an access token for user id at authVersion.
func (s *TokenSigner) Sign(userID uint64, authVersion int, now time.Time) (string, error) {
	claims := accessClaims{
		AuthVersion: authVersion,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   strconv.FormatUint(userID, 10),
			Audience:  jwt.ClaimStrings{tokenAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)),
			ID:        randomToken(12),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
}

// errBadToken is the one answer to any token that fails to verify; the reason is not told.
var errBadToken = service.Unauthenticated("登录已失效，请重新登录")

// Parse verifies an access token and returns the user id and auth version it carries.
func (s *TokenSigner) Parse(token string) (userID uint64, authVersion int, err error) {
	var claims accessClaims
	_, err = s.parser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.secret, nil })
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return 0, 0, service.Unauthenticated("登录已过期，请刷新或重新登录")
		}
		return 0, 0, errBadToken
	}
	id, err := strconv.ParseUint(claims.Subject, 10, 64)
	if err != nil || id == 0 {
		return 0, 0, errBadToken
	}
	return id, claims.AuthVersion, nil
}

// TTL is the access-token lifetime.
func (s *TokenSigner) TTL() time.Duration { return s.ttl }

// randomToken returns n random bytes, URL-safe base64 encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
