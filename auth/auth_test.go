package auth

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

const secret = "a test secret of at least thirty-two bytes"

var (
	keysOnce   sync.Once
	keyA, keyB *rsa.PrivateKey
)

// rsaKeys are generated once per run: 2048-bit keys take a while.
func rsaKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if keyA, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if keyB, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return keyA, keyB
}

func enc(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sign makes a JWT with the given header and claims, signed as the header's alg says with
// key ([]byte for HS256, *rsa.PrivateKey for RS256, nil for no signature).
func sign(header, claims map[string]any, key any) string {
	signed := enc(header) + "." + enc(claims)
	var sig []byte
	switch k := key.(type) {
	case []byte:
		sig = hmacSHA256(k, signed)
	case *rsa.PrivateKey:
		d := sha256.Sum256([]byte(signed))
		var err error
		if sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, d[:]); err != nil {
			panic(err)
		}
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func hmacSHA256(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func hs(claims map[string]any) string {
	return sign(map[string]any{"alg": "HS256", "typ": "JWT"}, claims, []byte(secret))
}

func rs(kid string, claims map[string]any, key *rsa.PrivateKey) string {
	h := map[string]any{"alg": "RS256", "typ": "JWT"}
	if kid != "" {
		h["kid"] = kid
	}
	return sign(h, claims, key)
}

// claimsFor are valid claims for an analyst of GBR, changed by the edits (nil deletes).
func claimsFor(edits map[string]any) map[string]any {
	now := time.Now().Unix()
	c := map[string]any{"sub": "alice", "role": "analyst", "nation": "GBR", "exp": now + 3600, "iat": now - 5, "nbf": now - 5}
	for k, v := range edits {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pemOf(t testing.TB, k *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func jwksOf(keys map[string]*rsa.PrivateKey) []byte {
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	// An EC key of the kind identity providers also publish: skipped, not an error.
	set.Keys = append(set.Keys, map[string]string{"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"})
	for kid, k := range keys {
		set.Keys = append(set.Keys, map[string]string{
			"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
		})
	}
	b, _ := json.Marshal(set)
	return b
}

const staticEditor = "sgt_0123456789abcdefghijklmnopqrstuvwxyzABCDEF"

// authenticators are the configurations the table runs against.
func authenticators(t testing.TB) map[string]*Authenticator {
	t.Helper()
	a, b := rsaKeys(t)
	dir := t.TempDir()
	pemA := writeFile(t, dir, "a.pem", pemOf(t, a))
	jwks := writeFile(t, dir, "jwks.json", jwksOf(map[string]*rsa.PrivateKey{"a": a, "b": b}))
	h, err := HashToken(staticEditor)
	if err != nil {
		t.Fatal(err)
	}
	configs := map[string]Config{
		"hs": {HS256Secret: secret, StaticTokens: []StaticToken{
			{SHA256: h, Subject: "nightly-import", Role: graph.RoleEditor, Nation: "FRA"},
			{SHA256: strings.Repeat("ab", 32), Subject: "other", Role: graph.RoleAdmin},
		}},
		"rs":    {RS256PublicKeyFile: pemA},
		"jwks":  {JWKSFile: jwks},
		"both":  {HS256Secret: secret, RS256PublicKeyFile: pemA},
		"idp":   {HS256Secret: secret, Issuer: "https://idp.example", Audience: "stakegraph"},
		"exact": {HS256Secret: secret, Leeway: new(Duration)},
	}
	out := map[string]*Authenticator{}
	for name, c := range configs {
		if out[name], err = New(c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

func TestTokens(t *testing.T) {
	a, b := rsaKeys(t)
	auths := authenticators(t)
	now := time.Now().Unix()
	analyst := &graph.Viewer{Subject: "alice", Role: graph.RoleAnalyst, Nation: "GBR"}
	valid := hs(claimsFor(nil))
	parts := strings.Split(valid, ".")
	forged := parts[0] + "." + enc(claimsFor(map[string]any{"role": "admin"})) + "." + parts[2]

	tests := []struct {
		name  string
		auth  string
		token string
		want  *graph.Viewer // nil: rejected
		err   string        // the message, when rejected
	}{
		{"valid HS256 is accepted", "hs", valid, analyst, ""},
		{"valid RS256 is accepted", "rs", rs("", claimsFor(nil), a), analyst, ""},
		{"RS256 with any kid is checked against the one PEM key", "rs", rs("whatever", claimsFor(nil), a), analyst, ""},
		{"valid JWKS token is accepted by its kid", "jwks", rs("b", claimsFor(nil), b), analyst, ""},
		{"JWKS token signed by another kid's key is rejected", "jwks", rs("a", claimsFor(nil), b), nil, ErrSignature.Message},
		{"JWKS token with an unknown kid is rejected", "jwks", rs("c", claimsFor(nil), a), nil, "the token's key (kid) is not among the configured keys"},
		{"JWKS token without kid among several keys is rejected", "jwks", rs("", claimsFor(nil), a), nil, "the token names no key (kid) and several are configured"},
		{"RS256 token signed by an unconfigured key is rejected", "rs", rs("", claimsFor(nil), b), nil, ErrSignature.Message},
		{"expired is rejected", "hs", hs(claimsFor(map[string]any{"exp": now - 3600})), nil, ErrExpired.Message},
		{"expired within the leeway is accepted", "hs", hs(claimsFor(map[string]any{"exp": now - 10})), analyst, ""},
		{"expired without leeway is rejected", "exact", hs(claimsFor(map[string]any{"exp": now - 10})), nil, ErrExpired.Message},
		{"not yet valid is rejected", "hs", hs(claimsFor(map[string]any{"nbf": now + 3600})), nil, ErrNotYetValid.Message},
		{"issued in the future is rejected", "hs", hs(claimsFor(map[string]any{"iat": now + 3600})), nil, "the token is issued in the future (iat)"},
		{"wrong HS256 secret is rejected", "hs", sign(map[string]any{"alg": "HS256"}, claimsFor(nil), []byte(secret+"!")), nil, ErrSignature.Message},
		{"claims changed after signing are rejected", "hs", forged, nil, ErrSignature.Message},
		{"signature stripped is rejected", "hs", parts[0] + "." + parts[1] + ".", nil, ErrSignature.Message},
		{"alg none is rejected", "hs", sign(map[string]any{"alg": "none"}, claimsFor(nil), nil), nil, errAlgorithm.Message},
		{"alg None with an HMAC is rejected", "both", sign(map[string]any{"alg": "None"}, claimsFor(nil), []byte(secret)), nil, errAlgorithm.Message},
		{"alg HS512 is rejected", "hs", sign(map[string]any{"alg": "HS512"}, claimsFor(nil), []byte(secret)), nil, errAlgorithm.Message},
		{"HS256 signed with the RSA public key, RS only, is rejected", "rs", sign(map[string]any{"alg": "HS256"}, claimsFor(nil), pemOf(t, a)), nil, "the token's algorithm HS256 is not accepted: no HS256 secret is configured"},
		{"HS256 signed with the RSA public key, both configured, is rejected", "both", sign(map[string]any{"alg": "HS256"}, claimsFor(nil), pemOf(t, a)), nil, ErrSignature.Message},
		{"HS256 signed with the JWKS key's modulus, JWKS only, is rejected", "jwks", sign(map[string]any{"alg": "HS256", "kid": "a"}, claimsFor(nil), a.N.Bytes()), nil, "the token's algorithm HS256 is not accepted: no HS256 secret is configured"},
		{"RS256 when only HS256 is configured is rejected", "hs", rs("", claimsFor(nil), a), nil, "the token's algorithm RS256 is not accepted: no RSA public key is configured"},
		{"missing sub is rejected", "hs", hs(claimsFor(map[string]any{"sub": nil})), nil, `the token has no "sub" claim (subject)`},
		{"empty sub is rejected", "hs", hs(claimsFor(map[string]any{"sub": ""})), nil, `the token has no "sub" claim (subject)`},
		{"missing role is rejected", "hs", hs(claimsFor(map[string]any{"role": nil})), nil, `the token has no "role" claim`},
		{"missing nation is rejected", "hs", hs(claimsFor(map[string]any{"nation": nil})), nil, `the token has no "nation" claim, which every role but admin needs`},
		{"admin without nation is accepted", "hs", hs(claimsFor(map[string]any{"role": "admin", "nation": nil})), &graph.Viewer{Subject: "alice", Role: graph.RoleAdmin}, ""},
		{"missing exp is rejected", "hs", hs(claimsFor(map[string]any{"exp": nil})), nil, `the token has no "exp" claim: tokens must expire`},
		{"unknown role is rejected", "hs", hs(claimsFor(map[string]any{"role": "superuser"})), nil, `the token's "role" is not one of viewer, analyst, editor, admin`},
		{"role in capitals is rejected", "hs", hs(claimsFor(map[string]any{"role": "ADMIN"})), nil, `the token's "role" is not one of viewer, analyst, editor, admin`},
		{"two-letter nation is rejected", "hs", hs(claimsFor(map[string]any{"nation": "GB"})), nil, `the token's "nation" is not an ISO 3166-1 alpha-3 code (three capital letters)`},
		{"lower-case nation is rejected", "hs", hs(claimsFor(map[string]any{"nation": "gbr"})), nil, `the token's "nation" is not an ISO 3166-1 alpha-3 code (three capital letters)`},
		{"exp as a string is rejected", "hs", hs(claimsFor(map[string]any{"exp": "tomorrow"})), nil, "the token is malformed: a date claim (exp, nbf, iat) is not a number of seconds since 1970"},
		{"role as a number is rejected", "hs", hs(claimsFor(map[string]any{"role": 3})), nil, `the token is malformed: its "role" claim has the wrong type`},
		{"crit header is rejected", "hs", sign(map[string]any{"alg": "HS256", "crit": []string{"b64"}, "b64": false}, claimsFor(nil), []byte(secret)), nil, "the token names critical header extensions (crit) this server does not support"},
		{"right issuer and audience are accepted", "idp", hs(claimsFor(map[string]any{"iss": "https://idp.example", "aud": []string{"other", "stakegraph"}})), analyst, ""},
		{"wrong issuer is rejected", "idp", hs(claimsFor(map[string]any{"iss": "https://evil.example", "aud": "stakegraph"})), nil, "the token is not from the configured issuer (iss)"},
		{"missing audience is rejected", "idp", hs(claimsFor(map[string]any{"iss": "https://idp.example"})), nil, "the token is not meant for this server (aud)"},
		{"two parts are rejected", "hs", parts[0] + "." + parts[1], nil, "the token is malformed: a JWT has three parts separated by dots"},
		{"padded base64 is rejected", "hs", parts[0] + "=." + parts[1] + "." + parts[2], nil, "the token is malformed: its header is not base64url"},
		{"claims that are an array are rejected", "hs", sign(map[string]any{"alg": "HS256"}, nil, []byte(secret)), nil, "the token is malformed: its claims are not a JSON object"},
		{"valid static token is accepted", "hs", staticEditor, &graph.Viewer{Subject: "nightly-import", Role: graph.RoleEditor, Nation: "FRA"}, ""},
		{"unknown static token is rejected", "hs", staticEditor + "x", nil, ErrUnknownToken.Message},
		{"static token when none is configured is rejected", "rs", staticEditor, nil, ErrUnknownToken.Message},
		{"empty token is rejected", "hs", "", nil, ErrNoToken.Message},
		{"huge token is rejected", "hs", strings.Repeat("a", maxTokenLen+1), nil, "the token is malformed: longer than 16384 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auths[tt.auth].Verify(tt.token)
			if tt.want != nil {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if *got != *tt.want {
					t.Fatalf("viewer=%+v, want %+v", *got, *tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted as %+v, want the error %q", *got, tt.err)
			}
			if got, want := err.Error(), tt.err; got != want {
				t.Fatalf("error=%q, want %q", got, want)
			}
			if got := graph.ErrorCode(err); got != graph.EUNAUTHENTICATED {
				t.Fatalf("code=%s, want %s", got, graph.EUNAUTHENTICATED)
			}
			for _, p := range strings.Split(tt.token, ".") {
				if len(p) >= 8 && strings.Contains(err.Error(), p) {
					t.Fatalf("the error quotes the token: %q", err)
				}
			}
		})
	}
}

func TestMiddleware(t *testing.T) {
	auths := authenticators(t)
	var seen *graph.Viewer
	h := auths["hs"].Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = graph.ViewerFrom(r.Context())
	}))
	tests := []struct {
		name, header string
		status       int
		challenge    string
		message      string
	}{
		{"no header is refused", "", 401, `Bearer realm="stakegraph"`, ErrNoToken.Message},
		{"basic auth is refused", "Basic YWxpY2U6cHc=", 401, `Bearer realm="stakegraph", error="invalid_token"`, "the Authorization header is not a bearer token: send Authorization: Bearer <token>"},
		{"expired token is refused", "Bearer " + hs(claimsFor(map[string]any{"exp": time.Now().Unix() - 3600})), 401, `Bearer realm="stakegraph", error="invalid_token"`, ErrExpired.Message},
		{"valid token passes", "Bearer " + hs(claimsFor(nil)), 200, "", ""},
		{"lower-case scheme passes", "bearer " + staticEditor, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen = nil
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if got, want := rec.Code, tt.status; got != want {
				t.Fatalf("status=%d, want %d: %s", got, want, rec.Body)
			}
			if tt.status == 200 {
				if seen == nil || seen.Role == "" || seen.Subject == "anonymous" {
					t.Fatalf("the handler saw viewer %+v, want the token's", seen)
				}
				return
			}
			if seen != nil {
				t.Fatal("a refused request reached the handler")
			}
			if got, want := rec.Header().Get("WWW-Authenticate"), tt.challenge; got != want {
				t.Fatalf("WWW-Authenticate=%q, want %q", got, want)
			}
			var body struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
				t.Fatalf("body is not one GraphQL error: %s", rec.Body)
			}
			if got, want := body.Errors[0].Extensions["code"], graph.EUNAUTHENTICATED; got != want {
				t.Fatalf("code=%v, want %s", got, want)
			}
			if got, want := body.Errors[0].Message, tt.message; got != want {
				t.Fatalf("message=%q, want %q", got, want)
			}
		})
	}
	t.Run("two Authorization headers are refused", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.Header.Add("Authorization", "Bearer "+staticEditor)
		req.Header.Add("Authorization", "Bearer "+hs(claimsFor(nil)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 401 {
			t.Fatalf("status=%d, want 401", rec.Code)
		}
	})
}

func TestJWKSRotatesWithoutRestart(t *testing.T) {
	a, b := rsaKeys(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "jwks.json", jwksOf(map[string]*rsa.PrivateKey{"2024": a}))
	auth, err := New(Config{JWKSFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Verify(rs("2025", claimsFor(nil), b)); err == nil {
		t.Fatal("a token of a key not yet published was accepted")
	}
	// The issuer publishes the new key next to the old one and starts signing with it.
	writeFile(t, dir, "jwks.json", jwksOf(map[string]*rsa.PrivateKey{"2024": a, "2025": b}))
	if _, err := auth.Verify(rs("2025", claimsFor(nil), b)); err == nil {
		t.Fatal("the key set was re-read sooner than jwksReloadEvery allows")
	}
	auth.mu.Lock()
	auth.reloaded = time.Now().Add(-jwksReloadEvery)
	auth.mu.Unlock()
	for _, tok := range []string{rs("2025", claimsFor(nil), b), rs("2024", claimsFor(nil), a)} {
		if _, err := auth.Verify(tok); err != nil {
			t.Fatalf("after the key set was extended: %v", err)
		}
	}
}

func TestConfig(t *testing.T) {
	a, _ := rsaKeys(t)
	dir := t.TempDir()
	writeFile(t, dir, "key.pem", pemOf(t, a))
	good := writeFile(t, dir, "good.json", []byte(`{"rs256PublicKeyFile": "key.pem", "leeway": "5s", "issuer": "https://idp.example"}`))
	c, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.RS256PublicKeyFile, filepath.Join(dir, "key.pem"); got != want {
		t.Fatalf("key file=%q, want %q (relative to the configuration)", got, want)
	}
	if _, err := New(c); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvSecret, secret)
	if c, _ := Load(""); c.HS256Secret != secret || !c.Configured() {
		t.Fatalf("the secret from %s was not taken", EnvSecret)
	}

	bad := []struct {
		name string
		cfg  Config
		file string
		err  string
	}{
		{"nothing configured", Config{}, "", "no credential configured"},
		{"short secret", Config{HS256Secret: "short"}, "", "hs256Secret is 5 bytes; it must have at least 32"},
		{"unreadable hash", Config{StaticTokens: []StaticToken{{SHA256: "xyz", Subject: "s", Role: graph.RoleAdmin}}}, "", "staticTokens[0]: sha256 is not 64 hexadecimal digits"},
		{"static token without nation", Config{StaticTokens: []StaticToken{{SHA256: strings.Repeat("0", 64), Subject: "s", Role: graph.RoleViewer}}}, "", "staticTokens[0]: nation is empty"},
		{"static token of unknown role", Config{StaticTokens: []StaticToken{{SHA256: strings.Repeat("0", 64), Subject: "s", Role: "root"}}}, "", "staticTokens[0]: role is not one of"},
		{"missing key file", Config{RS256PublicKeyFile: filepath.Join(dir, "nope.pem")}, "", "no such file"},
		{"private key instead of public", Config{RS256PublicKeyFile: writeFile(t, dir, "priv.pem", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(a)}))}, "", "holds a RSA PRIVATE KEY, not a public key"},
		{"JWKS without RSA keys", Config{JWKSFile: writeFile(t, dir, "empty.json", []byte(`{"keys":[]}`))}, "", "holds no RSA signature key"},
		{"unknown field", Config{}, `{"secret": "` + secret + `"}`, `unknown field "secret"`},
		{"bad leeway", Config{}, `{"hs256Secret": "` + secret + `", "leeway": "soon"}`, `"soon" is not a non-negative duration`},
	}
	for _, tt := range bad {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			t.Setenv(EnvSecret, "")
			cfg := tt.cfg
			if tt.file != "" {
				var err error
				if cfg, err = Load(writeFile(t, dir, "c.json", []byte(tt.file))); err != nil {
					if !strings.Contains(err.Error(), tt.err) {
						t.Fatalf("error=%q, want it to say %q", err, tt.err)
					}
					return
				}
			}
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error=%v, want it to say %q", err, tt.err)
			}
		})
	}
}

func TestStaticTokens(t *testing.T) {
	tok, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, tokenPrefix) || strings.Contains(tok, ".") {
		t.Fatalf("token %q lacks the prefix or has a dot", tok)
	}
	if h, err := HashToken(tok); err != nil || h != hash {
		t.Fatalf("HashToken(new token)=%q, %v; want %q", h, err, hash)
	}
	a, err := New(Config{StaticTokens: []StaticToken{{SHA256: strings.ToUpper(hash), Subject: "ci", Role: graph.RoleAdmin}}})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := a.Verify(tok); err != nil || v.Subject != "ci" {
		t.Fatalf("the new token: %+v, %v", v, err)
	}
	for _, bad := range []string{"short", "has.a.dot-and-is-long-enough-to-count-0123456789", "has a space and is long enough to count 0123456789"} {
		if _, err := HashToken(bad); err == nil {
			t.Fatalf("HashToken(%q) accepted a token that cannot work", bad)
		}
	}
	// The viewer handed out is a copy: changing it changes no later request.
	v, _ := a.Verify(tok)
	v.Role = graph.RoleViewer
	if v2, _ := a.Verify(tok); v2.Role != graph.RoleAdmin {
		t.Fatal("a viewer handed out shares its state with the configuration")
	}
	if !errors.Is(func() error { _, err := a.Verify(tok + "x"); return err }(), ErrUnknownToken) {
		t.Fatal("an unknown token is not ErrUnknownToken")
	}
}
