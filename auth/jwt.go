package auth

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// jwt is a JSON Web Token split and decoded, not yet verified.
type jwt struct {
	header struct {
		Alg  string          `json:"alg"`
		Kid  string          `json:"kid"`
		Crit json.RawMessage `json:"crit"`
	}
	claims    claims
	signed    string // header.payload, as the signature covers it
	signature []byte
}

// claims are the registered claims this server checks and its own role and nation.
// Pointers tell an absent claim from an empty one.
type claims struct {
	Sub    *string      `json:"sub"`
	Role   *string      `json:"role"`
	Nation *string      `json:"nation"`
	Exp    *numericDate `json:"exp"`
	Nbf    *numericDate `json:"nbf"`
	Iat    *numericDate `json:"iat"`
	Iss    *string      `json:"iss"`
	Aud    audience     `json:"aud"`
}

// numericDate is seconds since the epoch (RFC 7519 §2), fractions allowed. It stays a
// float so that no conversion can overflow.
type numericDate float64

// latest bounds numeric dates to years before 10000: anything later is a mistake or a
// token minted never to expire.
const latest = 253402300799

// UnmarshalJSON implements json.Unmarshaler.
func (d *numericDate) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil || f < 0 || f > latest {
		return claimError(`a date claim (exp, nbf, iat) is not a number of seconds since 1970`)
	}
	*d = numericDate(f)
	return nil
}

// audience is the aud claim: one string or an array of them (RFC 7519 §4.1.3).
type audience []string

// UnmarshalJSON implements json.Unmarshaler.
func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return claimError(`the "aud" claim is neither a string nor an array of strings`)
	}
	*a = many
	return nil
}

// b64 is base64url without padding, strictly: one token has one encoding, so a signature
// cannot be altered in its unused bits.
var b64 = base64.RawURLEncoding.Strict()

// parseJWT splits token into header, claims and signature and decodes them. It checks
// the form only, not the signature or the claims' values.
func parseJWT(token string) (*jwt, error) {
	if len(token) > maxTokenLen {
		return nil, fail("the token is malformed: longer than %d bytes", maxTokenLen)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fail("the token is malformed: a JWT has three parts separated by dots")
	}
	var j jwt
	header, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, fail("the token is malformed: its header is not base64url")
	}
	if err := strictJSON(header, &j.header); err != nil {
		return nil, fail("the token is malformed: its header is not a JSON object with a string alg")
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, fail("the token is malformed: its claims are not base64url")
	}
	if err := strictJSON(payload, &j.claims); err != nil {
		return nil, claimsError(err)
	}
	if j.signature, err = b64.DecodeString(parts[2]); err != nil {
		return nil, fail("the token is malformed: its signature is not base64url")
	}
	j.signed = token[:len(parts[0])+1+len(parts[1])]
	return &j, nil
}

// strictJSON decodes one JSON object into v, with nothing after it.
func strictJSON(b []byte, v any) error {
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not an object")
	}
	return json.Unmarshal(b, v)
}

// claimError is a claim of the wrong form, found while decoding.
type claimError string

func (e claimError) Error() string { return string(e) }

// claimsError says which claim has the wrong type; the name is ours, never the token's text.
func claimsError(err error) error {
	var te *json.UnmarshalTypeError
	var ce claimError
	switch {
	case errors.As(err, &ce):
		return fail("the token is malformed: %s", ce)
	case errors.As(err, &te) && te.Field != "":
		return fail("the token is malformed: its %q claim has the wrong type", te.Field)
	}
	return fail("the token is malformed: its claims are not a JSON object")
}

// verifyJWT checks token's signature with the key its algorithm calls for, then its claims.
func (a *Authenticator) verifyJWT(token string) (*graph.Viewer, error) {
	j, err := parseJWT(token)
	if err != nil {
		return nil, err
	}
	if j.header.Crit != nil {
		// RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
		return nil, fail("the token names critical header extensions (crit) this server does not support")
	}
	// The algorithm selects the key, and each key is of one kind only: an HS256 token is
	// checked against the HS256 secret and nothing else, an RS256 token against RSA keys.
	// So a token "signed" with a public key as HMAC secret, or one saying alg "none",
	// finds no key it could pass with.
	switch j.header.Alg {
	case "HS256":
		if a.secret == nil {
			return nil, fail("the token's algorithm HS256 is not accepted: no HS256 secret is configured")
		}
		mac := hmac.New(sha256.New, a.secret)
		mac.Write([]byte(j.signed))
		if !hmac.Equal(mac.Sum(nil), j.signature) {
			return nil, ErrSignature
		}
	case "RS256":
		key, err := a.rsaKey(j.header.Kid)
		if err != nil {
			return nil, err
		}
		digest := sha256.Sum256([]byte(j.signed))
		if rsa.VerifyPKCS1v15(key.pub, crypto.SHA256, digest[:], j.signature) != nil {
			return nil, ErrSignature
		}
	default:
		return nil, fail("the token's algorithm is not accepted: only HS256 and RS256 are, as configured")
	}
	return a.checkClaims(&j.claims, time.Now())
}

// checkClaims checks the time window, issuer and audience, and who the token stands for.
func (a *Authenticator) checkClaims(c *claims, now time.Time) (*graph.Viewer, error) {
	t := float64(now.UnixNano()) / 1e9
	leeway := a.leeway.Seconds()
	switch {
	case c.Exp == nil:
		return nil, fail(`the token has no "exp" claim: tokens must expire`)
	case t > float64(*c.Exp)+leeway:
		return nil, ErrExpired
	case c.Nbf != nil && t < float64(*c.Nbf)-leeway:
		return nil, ErrNotYetValid
	case c.Iat != nil && t < float64(*c.Iat)-leeway:
		return nil, fail("the token is issued in the future (iat)")
	case a.issuer != "" && (c.Iss == nil || subtle.ConstantTimeCompare([]byte(*c.Iss), []byte(a.issuer)) != 1):
		return nil, fail("the token is not from the configured issuer (iss)")
	case a.audience != "" && !slices.Contains(c.Aud, a.audience):
		return nil, fail("the token is not meant for this server (aud)")
	}
	return viewer(deref(c.Sub), deref(c.Role), deref(c.Nation))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// verifyStatic finds the API token whose hash is token's. Every configured hash is
// compared, in constant time, so the answer's timing says nothing about which came close.
func (a *Authenticator) verifyStatic(token string) (*graph.Viewer, error) {
	h := sha256.Sum256([]byte(token))
	found := -1
	for i := range a.static {
		if subtle.ConstantTimeCompare(h[:], a.static[i].hash[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return nil, ErrUnknownToken
	}
	v := a.static[found].viewer
	return &v, nil
}
