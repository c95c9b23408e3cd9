package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/stakegraph/stakegraph/graph"
)

// tokenClaims are a JWT's claims: the registered ones golang-jwt validates, in types that
// refuse a wrong form with a message of ours, and all of them as decoded JSON for the
// ClaimMapping to read the subject, role and nation from.
type tokenClaims struct {
	Exp *numericDate `json:"exp"`
	Nbf *numericDate `json:"nbf"`
	Iat *numericDate `json:"iat"`
	Iss *string      `json:"iss"`
	Aud audience     `json:"aud"`

	all     map[string]any
	decoded bool // false when the claims were JSON null, which golang-jwt lets through
}

var _ jwt.Claims = (*tokenClaims)(nil)

// UnmarshalJSON implements json.Unmarshaler: the claims must be one JSON object.
func (c *tokenClaims) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not an object")
	}
	type registered tokenClaims // without this method
	if err := json.Unmarshal(b, (*registered)(c)); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &c.all); err != nil {
		return err
	}
	c.decoded = true
	return nil
}

// GetExpirationTime implements jwt.Claims.
func (c *tokenClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.Exp.time(), nil }

// GetNotBefore implements jwt.Claims.
func (c *tokenClaims) GetNotBefore() (*jwt.NumericDate, error) { return c.Nbf.time(), nil }

// GetIssuedAt implements jwt.Claims.
func (c *tokenClaims) GetIssuedAt() (*jwt.NumericDate, error) { return c.Iat.time(), nil }

// GetIssuer implements jwt.Claims.
func (c *tokenClaims) GetIssuer() (string, error) { return deref(c.Iss), nil }

// GetSubject implements jwt.Claims; the subject is the ClaimMapping's to find.
func (c *tokenClaims) GetSubject() (string, error) { return "", nil }

// GetAudience implements jwt.Claims.
func (c *tokenClaims) GetAudience() (jwt.ClaimStrings, error) { return jwt.ClaimStrings(c.Aud), nil }

// numericDate is seconds since the epoch (RFC 7519 §2), fractions allowed, kept as a float
// so that no conversion can overflow.
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

func (d *numericDate) time() *jwt.NumericDate {
	if d == nil {
		return nil
	}
	sec, frac := math.Modf(float64(*d))
	return &jwt.NumericDate{Time: time.Unix(int64(sec), int64(frac*1e9))}
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

// claimError is a claim of the wrong form, found while decoding.
type claimError string

func (e claimError) Error() string { return string(e) }

// parser is golang-jwt's, set as this server needs: strict base64url (one token has one
// encoding, so a signature cannot be altered in its unused bits), exp required, iat checked.
func (a *Authenticator) parser() *jwt.Parser {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(Algorithms), jwt.WithStrictDecoding(), jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(), jwt.WithLeeway(a.leeway),
	}
	if a.issuer != "" {
		opts = append(opts, jwt.WithIssuer(a.issuer))
	}
	if a.audience != "" {
		opts = append(opts, jwt.WithAudience(a.audience))
	}
	return jwt.NewParser(opts...)
}

// parseJWT decodes token without verifying it, for its form only; errors as verifyJWT's.
func parseJWT(token string) (*jwt.Token, error) {
	if len(token) > maxTokenLen {
		return nil, fail("the token is malformed: longer than %d bytes", maxTokenLen)
	}
	c := &tokenClaims{}
	t, _, err := jwt.NewParser(jwt.WithStrictDecoding()).ParseUnverified(token, c)
	if err != nil {
		return nil, tokenError(t, c, err)
	}
	return t, nil
}

// verifyJWT checks token with golang-jwt — form, algorithm, signature with the key that
// algorithm calls for, time window, issuer, audience — and then reads whom it stands for.
func (a *Authenticator) verifyJWT(ctx context.Context, token string) (*graph.Viewer, error) {
	c := &tokenClaims{}
	t, err := a.parser().ParseWithClaims(token, c, func(t *jwt.Token) (any, error) { return a.verificationKey(ctx, t) })
	if err != nil {
		return nil, a.claimsFailure(c, tokenError(t, c, err))
	}
	if !c.decoded {
		return nil, fail("the token is malformed: its claims are not a JSON object")
	}
	return a.claims.viewer(c.all)
}

// verificationKey chooses the key for t by its algorithm, and by its kid among a key set. The
// algorithm selects the key, and each key is of one kind only: an HS256 token is checked
// against the HS256 secret and nothing else, an RS256 or PS256 token against RSA keys, ES256
// against EC P-256 keys. So a token "signed" with a public key as HMAC secret, or one saying
// alg "none", finds no key it could pass with. A token cannot bring its own key.
func (a *Authenticator) verificationKey(ctx context.Context, t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		// RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
		return nil, fail("the token names critical header extensions (crit) this server does not support")
	}
	alg := t.Method.Alg()
	kid, ok := t.Header["kid"].(string)
	if _, present := t.Header["kid"]; present && !ok {
		return nil, fail("the token is malformed: its header's kid is not a string")
	}
	if alg == "HS256" {
		if a.secret == nil {
			return nil, fail("the token's algorithm HS256 is not accepted: no HS256 secret is configured")
		}
		return a.secret, nil
	}
	if a.pemKey == nil && a.jwksFile == "" && a.remote == nil {
		return nil, fail("the token's algorithm %s is not accepted: no %s public key is configured", alg, keyKind(alg))
	}
	fits := func(k jwkset.JWK) bool { return keyFits(publicKey(k), alg, k.Marshal()) }
	if a.jwksFile == "" && a.remote == nil {
		// One key and no key set: a kid names nothing to choose between.
		if !keyFits(a.pemKey, alg, jwkset.JWKMarshal{}) {
			return nil, fail("the token's algorithm %s is not accepted: no %s public key is configured", alg, keyKind(alg))
		}
		return a.pemKey, nil
	}
	if kid == "" {
		if a.pemKey != nil && keyFits(a.pemKey, alg, jwkset.JWKMarshal{}) {
			return a.pemKey, nil
		}
		var only []jwkset.JWK
		for _, k := range a.allKeys(ctx) {
			if fits(k) {
				only = append(only, k)
			}
		}
		if len(only) == 1 {
			return publicKey(only[0]), nil
		}
		return nil, fail("the token names no key (kid) and several are configured")
	}
	k, ok := a.keyByID(ctx, kid)
	switch {
	case !ok:
		return nil, fail("the token's key (kid) is not among the configured keys")
	case !fits(k):
		return nil, fail("the token's key (kid) is not a %s key for %s", keyKind(alg), alg)
	}
	return publicKey(k), nil
}

// keyKind names the kind of key alg needs.
func keyKind(alg string) string {
	if alg == "ES256" {
		return "EC P-256"
	}
	return "RSA"
}

// tokenError turns golang-jwt's error for t into a coded error of ours that says what is
// wrong without quoting the token. Errors of ours (from verificationKey) pass through.
func tokenError(t *jwt.Token, c *tokenClaims, err error) error {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge
	}
	var b64 base64.CorruptInputError
	isB64 := errors.As(err, &b64)
	switch {
	case t == nil:
		return fail("the token is malformed: a JWT has three parts separated by dots")
	case t.Header == nil && isB64:
		return fail("the token is malformed: its header is not base64url")
	case t.Header == nil:
		return fail("the token is malformed: its header is not a JSON object with a string alg")
	case errors.Is(err, jwt.ErrTokenMalformed) && !c.decoded && t.Method == nil:
		if isB64 {
			return fail("the token is malformed: its claims are not base64url")
		}
		return claimsError(err)
	case t.Method == nil:
		if _, ok := t.Header["alg"].(string); ok {
			return errAlgorithm
		}
		return fail("the token is malformed: its header is not a JSON object with a string alg")
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fail("the token is malformed: its signature is not base64url")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid) && !slices.Contains(Algorithms, t.Method.Alg()):
		return errAlgorithm
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return ErrSignature
	}
	return err
}

// errAlgorithm refuses a token whose algorithm is none of Algorithms.
var errAlgorithm = fail("the token's algorithm is not accepted: only %s are", strings.Join(Algorithms, ", "))

// claimsFailure says which claim check golang-jwt's validation failed, in the order a reader
// would check them; other errors pass through.
func (a *Authenticator) claimsFailure(c *tokenClaims, err error) error {
	if !errors.Is(err, jwt.ErrTokenInvalidClaims) {
		return err
	}
	switch {
	case !c.decoded:
		return fail("the token is malformed: its claims are not a JSON object")
	case c.Exp == nil:
		return fail(`the token has no "exp" claim: tokens must expire`)
	case errors.Is(err, jwt.ErrTokenExpired):
		return ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return ErrNotYetValid
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return fail("the token is issued in the future (iat)")
	case a.issuer != "" && (c.Iss == nil || subtle.ConstantTimeCompare([]byte(*c.Iss), []byte(a.issuer)) != 1):
		return fail("the token is not from the configured issuer (iss)")
	case a.audience != "" && !slices.Contains(c.Aud, a.audience):
		return fail("the token is not meant for this server (aud)")
	}
	return fail("the token's claims are not valid")
}

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
