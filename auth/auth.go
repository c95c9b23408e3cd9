// Package auth authenticates API requests: bearer JWTs (HS256 with a shared secret; RS256,
// PS256 and ES256 with public keys from a PEM file, a JWKS file, a JWKS URL or an OpenID
// Connect provider's discovery) and static API tokens for scripts, which the configuration
// stores only as SHA-256 hashes. It turns a request into the graph.Viewer the server acts
// for, reading the subject, role and nation from the claims a ClaimMapping names; what each
// role may do is decided elsewhere (docs/security.md).
//
// Tokens are parsed and verified by golang-jwt/jwt (v5), key sets decoded and fetched by
// MicahParks/jwkset, discovery done by coreos/go-oidc: maintained libraries, not code of ours.
// What is ours is the policy: the algorithm is fixed by the kind of key a token is checked
// against, never taken on the header's word.
package auth

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
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
// safe for concurrent use. Close stops the refreshing of a fetched key set.
type Authenticator struct {
	secret   []byte // HS256; nil when not configured
	issuer   string
	audience string
	leeway   time.Duration
	claims   ClaimMapping
	static   []staticToken

	pemKey   *rsa.PublicKey // from Config.RS256PublicKeyFile
	jwksFile string
	remote   *remoteKeys // from Config.OIDCIssuer or Config.JWKSURL
	stop     context.CancelFunc

	mu       sync.RWMutex
	jwks     map[string]jwkset.JWK // from jwksFile, by kid
	reloaded time.Time             // when jwksFile was last read
}

// jwksReloadEvery bounds how often a token with an unknown kid makes the server read the
// key set again (the file, or the URL), so that a stream of forged kids cannot keep it
// reading.
const jwksReloadEvery = 10 * time.Second

// New is NewContext with a background context.
func New(cfg Config) (*Authenticator, error) { return NewContext(context.Background(), cfg) }

// NewContext checks cfg and loads its keys: it reads the key files, and discovers and fetches
// a remote key set, whose background refreshing lasts until ctx ends or Close is called (and
// logs to ctx's logger). It fails when cfg configures nothing (see Config.Configured) or
// anything in it is unusable or unreachable, naming what.
func NewContext(ctx context.Context, cfg Config) (*Authenticator, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	a := &Authenticator{issuer: cfg.Issuer, audience: cfg.Audience, leeway: cfg.leeway(), jwksFile: cfg.JWKSFile,
		claims: cfg.Claims.withDefaults()}
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
	if cfg.OIDCIssuer != "" || cfg.JWKSURL != "" {
		ctx, a.stop = context.WithCancel(ctx)
		client := &http.Client{Timeout: fetchTimeout, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			// A redirect must not lead the keys over plain http either.
			return checkFetchURL(req.URL.String())
		}}
		jwksURL := cfg.JWKSURL
		if cfg.OIDCIssuer != "" {
			var err error
			if jwksURL, err = discoverJWKS(ctx, client, cfg.OIDCIssuer); err != nil {
				a.stop()
				return nil, configErrorf("oidcIssuer %s: %v", cfg.OIDCIssuer, err)
			}
			if a.issuer == "" {
				a.issuer = cfg.OIDCIssuer
			}
		}
		remote, err := newRemoteKeys(ctx, client, jwksURL, cfg.jwksRefresh())
		if err != nil {
			a.stop()
			return nil, configErrorf("%v", err)
		}
		a.remote = remote
	}
	return a, nil
}

// Close stops refreshing a fetched key set; the keys already fetched stay in use.
func (a *Authenticator) Close() {
	if a.stop != nil {
		a.stop()
	}
}

// keyByID returns the key set's key of kid, reading the set again (within jwksReloadEvery)
// when it lacks it, since keys rotate.
func (a *Authenticator) keyByID(ctx context.Context, kid string) (jwkset.JWK, bool) {
	if a.remote != nil {
		return a.remote.key(ctx, kid)
	}
	if k, ok := a.jwksKey(kid); ok {
		return k, true
	}
	if a.reloadJWKS() {
		return a.jwksKey(kid)
	}
	return jwkset.JWK{}, false
}

// allKeys returns every key of the key set.
func (a *Authenticator) allKeys(ctx context.Context) []jwkset.JWK {
	if a.remote != nil {
		return a.remote.all(ctx)
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	keys := make([]jwkset.JWK, 0, len(a.jwks))
	for _, k := range a.jwks {
		keys = append(keys, k)
	}
	return keys
}

func (a *Authenticator) jwksKey(kid string) (jwkset.JWK, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	k, ok := a.jwks[kid]
	return k, ok
}

// reloadJWKS reads the JWKS file again, at most every jwksReloadEvery, and reports whether
// it did. A file that no longer reads keeps the keys that were loaded.
func (a *Authenticator) reloadJWKS() bool {
	if a.jwksFile == "" {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if time.Since(a.reloaded) < jwksReloadEvery {
		return false
	}
	a.reloaded = time.Now()
	keys, err := loadJWKS(a.jwksFile)
	if err != nil {
		return false
	}
	a.jwks = keys
	return true
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
	return a.verify(r.Context(), strings.TrimSpace(token))
}

// Verify returns the viewer that token stands for: a JWT (three dot-separated parts) or a
// static API token (no dot). Errors as for Authenticate.
func (a *Authenticator) Verify(token string) (*graph.Viewer, error) {
	return a.verify(context.Background(), token)
}

func (a *Authenticator) verify(ctx context.Context, token string) (*graph.Viewer, error) {
	switch {
	case token == "":
		return nil, ErrNoToken
	case len(token) > maxTokenLen:
		return nil, fail("the token is malformed: longer than %d bytes", maxTokenLen)
	case !strings.Contains(token, "."):
		return a.verifyStatic(token)
	}
	return a.verifyJWT(ctx, token)
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
