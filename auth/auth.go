// Package auth authenticates API requests: bearer JWTs (HS256 with a shared secret, RS256
// with RSA public keys from a PEM or JWKS file) and static API tokens for scripts, which the
// configuration stores only as SHA-256 hashes. It turns a request into the graph.Viewer the
// server acts for; what each role may do is decided elsewhere (docs/security.md).
//
// Only the standard library's crypto is used, so that what verifies a token is small enough
// to read in one sitting: the algorithm is fixed by the kind of key it is checked against,
// never taken on the header's word.
package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph"
)

// Errors with fixed messages that callers may test for with errors.Is. All are coded
// graph.EUNAUTHENTICATED; none quotes any part of the token.
var (
	ErrNoToken      = fail("no bearer token: send the header Authorization: Bearer <token>")
	ErrSignature    = fail("the token's signature does not verify")
	ErrExpired      = fail("the token has expired")
	ErrNotYetValid  = fail("the token is not valid yet (nbf)")
	ErrUnknownToken = fail("the token is not a known API token")
)

// maxTokenLen bounds the work one request can ask of the parser; real tokens are far smaller.
const maxTokenLen = 16 << 10

// nationCode is an ISO 3166-1 alpha-3 code, as graph.Nation.Code holds it.
var nationCode = regexp.MustCompile(`^[A-Z]{3}$`)

// fail is an authentication failure with a message for the client.
func fail(format string, args ...any) *graph.Error {
	return graph.Errorf(graph.EUNAUTHENTICATED, "", format, args...)
}

// Authenticator verifies bearer tokens against the configured keys and API tokens. It is
// safe for concurrent use.
type Authenticator struct {
	secret   []byte // HS256; nil when not configured
	issuer   string
	audience string
	leeway   time.Duration
	static   []staticToken

	pemKey   *rsaKey // from Config.RS256PublicKeyFile
	jwksFile string

	mu       sync.RWMutex
	jwks     map[string]*rsaKey // by kid
	reloaded time.Time          // when jwksFile was last read
}

// jwksReloadEvery bounds how often a token with an unknown kid makes the server re-read the
// JWKS file, so that a stream of forged kids cannot keep it reading.
const jwksReloadEvery = 10 * time.Second

// New checks cfg and loads its keys. It fails when cfg configures nothing (see
// Config.Configured) or anything in it is unusable, naming what.
func New(cfg Config) (*Authenticator, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	a := &Authenticator{issuer: cfg.Issuer, audience: cfg.Audience, leeway: cfg.leeway(), jwksFile: cfg.JWKSFile}
	if cfg.HS256Secret != "" {
		a.secret = []byte(cfg.HS256Secret)
	}
	for i, t := range cfg.StaticTokens {
		st, err := t.compile()
		if err != nil {
			return nil, configErrorf("staticTokens[%d]: %v", i, err)
		}
		a.static = append(a.static, st)
	}
	if cfg.RS256PublicKeyFile != "" {
		k, err := loadPEM(cfg.RS256PublicKeyFile)
		if err != nil {
			return nil, configErrorf("rs256PublicKeyFile: %v", err)
		}
		a.pemKey = k
	}
	if cfg.JWKSFile != "" {
		keys, err := loadJWKS(cfg.JWKSFile)
		if err != nil {
			return nil, configErrorf("jwksFile: %v", err)
		}
		a.jwks, a.reloaded = keys, time.Now()
	}
	return a, nil
}

// Authenticate returns the viewer that r's bearer token stands for. Errors are coded
// graph.EUNAUTHENTICATED: no token, a malformed one, a bad signature, a wrong algorithm,
// an expired or not yet valid token, missing or invalid claims, an unknown API token.
func (a *Authenticator) Authenticate(r *http.Request) (*graph.Viewer, error) {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0 || strings.TrimSpace(values[0]) == "":
		return nil, ErrNoToken
	case len(values) > 1:
		return nil, fail("several Authorization headers: send one")
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, fail("the Authorization header is not a bearer token: send Authorization: Bearer <token>")
	}
	return a.Verify(strings.TrimSpace(token))
}

// Verify returns the viewer that token stands for: a JWT (three dot-separated parts) or a
// static API token (no dot). Errors as for Authenticate.
func (a *Authenticator) Verify(token string) (*graph.Viewer, error) {
	switch {
	case token == "":
		return nil, ErrNoToken
	case len(token) > maxTokenLen:
		return nil, fail("the token is malformed: longer than %d bytes", maxTokenLen)
	case !strings.Contains(token, "."):
		return a.verifyStatic(token)
	}
	return a.verifyJWT(token)
}

// Middleware puts the viewer of each request into its context (graph.WithViewer) and
// passes it on; a request without a valid token gets 401 with a GraphQL-shaped error and
// goes no further. The subject and role join the request's log lines.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := a.Authenticate(r)
		if err != nil {
			// The reason is ours (it quotes nothing of the token), so it is safe to log.
			zerolog.Ctx(r.Context()).Info().Str("reason", err.Error()).Msg("request refused: not authenticated")
			unauthorized(w, err, !errors.Is(err, ErrNoToken))
			return
		}
		zerolog.Ctx(r.Context()).UpdateContext(func(c zerolog.Context) zerolog.Context {
			return c.Str("subject", v.Subject).Str("role", string(v.Role))
		})
		next.ServeHTTP(w, r.WithContext(graph.WithViewer(r.Context(), v)))
	})
}

// Open serves every request as graph.LocalViewer, who may do everything: for a server
// without authentication, which Main allows only on a loopback address.
func Open(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(graph.WithViewer(r.Context(), graph.LocalViewer)))
	})
}

// unauthorized answers 401 the way a GraphQL client expects an error, with the challenge
// RFC 6750 asks for (error="invalid_token" when a token was sent but refused).
func unauthorized(w http.ResponseWriter, err error, tokenSent bool) {
	challenge := `Bearer realm="stakegraph"`
	if tokenSent {
		challenge += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message":    err.Error(),
		"extensions": map[string]any{"code": graph.EUNAUTHENTICATED},
	}}})
}

// viewer checks the identity claims shared by JWTs and static tokens: a subject, a known
// role, and a well-formed nation, which every role but admin needs because releasability
// is judged against it.
func viewer(subject, role, nation string) (*graph.Viewer, error) {
	v := &graph.Viewer{Subject: subject, Role: graph.Role(role), Nation: nation}
	switch {
	case subject == "":
		return nil, fail(`the token has no "sub" claim (subject)`)
	case role == "":
		return nil, fail(`the token has no "role" claim`)
	case !v.Role.Valid():
		return nil, fail(`the token's "role" is not one of viewer, analyst, editor, admin`)
	case nation == "" && v.Role != graph.RoleAdmin:
		return nil, fail(`the token has no "nation" claim, which every role but admin needs`)
	case nation != "" && !nationCode.MatchString(nation):
		return nil, fail(`the token's "nation" is not an ISO 3166-1 alpha-3 code (three capital letters)`)
	}
	return v, nil
}
