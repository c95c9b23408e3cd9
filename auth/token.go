package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"unicode"
)

// tokenPrefix marks stakegraph API tokens, so that one pasted where it should not be is
// recognised (and found by secret scanners).
const tokenPrefix = "sgt_"

// minStaticToken is the shortest API token accepted for hashing: a static token is as
// strong as its length, and it does not expire.
const minStaticToken = 32

// NewToken returns a fresh API token, 256 random bits, and its hash for the configuration.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

// HashToken returns the SHA-256 hex of an API token, as StaticToken.SHA256 holds it. It
// refuses tokens that could not work: with a dot (it would be read as a JWT), with spaces,
// or shorter than 32 characters.
func HashToken(token string) (string, error) {
	switch {
	case strings.Contains(token, "."):
		return "", errors.New("an API token must not contain a dot: a token with dots is read as a JWT")
	case strings.IndexFunc(token, unicode.IsSpace) >= 0:
		return "", errors.New("an API token must not contain spaces")
	case len(token) < minStaticToken:
		return "", errors.New("an API token must have at least 32 characters (make one with `stakegraph token new`)")
	}
	return hashToken(token), nil
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
