package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// signWith makes a JWT signed with the standard library's crypto, independently of the
// library that verifies it: ES256 (r‖s, 32 bytes each, RFC 7518 §3.4), PS256 (salt as long
// as the hash, RFC 7518 §3.5) or RS256.
func signWith(t testing.TB, alg, kid string, claims map[string]any, key crypto.Signer) string {
	t.Helper()
	h := map[string]any{"alg": alg, "typ": "JWT"}
	if kid != "" {
		h["kid"] = kid
	}
	signed := enc(h) + "." + enc(claims)
	d := sha256.Sum256([]byte(signed))
	var sig []byte
	var err error
	switch alg {
	case "ES256":
		var r, s *big.Int
		if r, s, err = ecdsa.Sign(rand.Reader, key.(*ecdsa.PrivateKey), d[:]); err == nil {
			sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
		}
	case "PS256":
		sig, err = rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, d[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, d[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// jwkOf is the public JWK of key, written by hand from RFC 7518 §6.
func jwkOf(kid string, key crypto.Signer) map[string]string {
	b64 := base64.RawURLEncoding.EncodeToString
	switch k := key.Public().(type) {
	case *ecdsa.PublicKey:
		pt, _ := k.Bytes() // 0x04 ‖ X ‖ Y
		return map[string]string{"kty": "EC", "kid": kid, "use": "sig", "crv": "P-256", "x": b64(pt[1:33]), "y": b64(pt[33:])}
	case *rsa.PublicKey:
		return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	}
	panic("unknown key")
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// provider is an OpenID Connect provider on loopback: a discovery document and a JWKS whose
// keys the test changes, counting how often each is fetched.
type provider struct {
	srv       *httptest.Server
	mu        sync.Mutex
	keys      []map[string]string
	issuer    string // what the discovery document says; the server's URL unless set
	jwksFetch atomic.Int64
}

func newProvider(t *testing.T, keys ...map[string]string) *provider {
	t.Helper()
	p := &provider{keys: keys}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /realms/planning/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		iss := p.issuer
		if iss == "" {
			iss = p.srv.URL + "/realms/planning"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": iss, "jwks_uri": p.srv.URL + "/realms/planning/protocol/openid-connect/certs",
			"authorization_endpoint": p.srv.URL + "/auth", "token_endpoint": p.srv.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"RS256", "ES256", "PS256"},
		})
	})
	mux.HandleFunc("GET /realms/planning/protocol/openid-connect/certs", func(w http.ResponseWriter, r *http.Request) {
		p.jwksFetch.Add(1)
		p.mu.Lock()
		defer p.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": p.keys})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) url() string { return p.srv.URL + "/realms/planning" }

func (p *provider) publish(keys ...map[string]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = keys
}

func TestES256AndPS256(t *testing.T) {
	a, _ := rsaKeys(t)
	ec, ec2 := ecKey(t), ecKey(t)
	dir := t.TempDir()
	set, _ := json.Marshal(map[string]any{"keys": []map[string]string{jwkOf("ec", ec), jwkOf("rsa", a)}})
	jwks, err := New(Config{JWKSFile: writeFile(t, dir, "jwks.json", set)})
	if err != nil {
		t.Fatal(err)
	}
	pemOnly, err := New(Config{RS256PublicKeyFile: writeFile(t, dir, "a.pem", pemOf(t, a))})
	if err != nil {
		t.Fatal(err)
	}
	analyst := graph.Viewer{Subject: "alice", Role: graph.RoleAnalyst, Nation: "GBR"}
	tests := []struct {
		name  string
		auth  *Authenticator
		token string
		err   string
	}{
		{"ES256 by its kid is accepted", jwks, signWith(t, "ES256", "ec", claimsFor(nil), ec), ""},
		{"ES256 without kid, the one EC key, is accepted", jwks, signWith(t, "ES256", "", claimsFor(nil), ec), ""},
		{"PS256 by its kid is accepted", jwks, signWith(t, "PS256", "rsa", claimsFor(nil), a), ""},
		{"PS256 against the PEM key is accepted", pemOnly, signWith(t, "PS256", "", claimsFor(nil), a), ""},
		{"ES256 by another EC key is rejected", jwks, signWith(t, "ES256", "ec", claimsFor(nil), ec2), ErrSignature.Message},
		{"ES256 naming the RSA key's kid is rejected", jwks, signWith(t, "ES256", "rsa", claimsFor(nil), ec), "the token's key (kid) is not a EC P-256 key for ES256"},
		{"RS256 naming the EC key's kid is rejected", jwks, signWith(t, "RS256", "ec", claimsFor(nil), a), "the token's key (kid) is not a RSA key for RS256"},
		{"ES256 with only an RSA PEM key is rejected", pemOnly, signWith(t, "ES256", "", claimsFor(nil), ec), "the token's algorithm ES256 is not accepted: no EC P-256 public key is configured"},
		{"PS256 signed as RS256 is rejected", jwks, strings.Replace(signWith(t, "RS256", "rsa", claimsFor(nil), a), enc(map[string]any{"alg": "RS256", "kid": "rsa", "typ": "JWT"}), enc(map[string]any{"alg": "PS256", "kid": "rsa", "typ": "JWT"}), 1), ErrSignature.Message},
		{"expired ES256 is rejected", jwks, signWith(t, "ES256", "ec", claimsFor(map[string]any{"exp": time.Now().Unix() - 3600}), ec), ErrExpired.Message},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.auth.Verify(tt.token)
			if tt.err == "" {
				if err != nil || *v != analyst {
					t.Fatalf("Verify = %+v, %v; want %+v", v, err, analyst)
				}
				return
			}
			if err == nil || err.Error() != tt.err || graph.ErrorCode(err) != graph.EUNAUTHENTICATED {
				t.Fatalf("Verify error = %v (code %s), want %q", err, graph.ErrorCode(err), tt.err)
			}
		})
	}
}

func TestOIDCDiscoveryFetchesAndRefreshesTheKeySet(t *testing.T) {
	ec, next := ecKey(t), ecKey(t)
	p := newProvider(t, jwkOf("2026-1", ec))
	a, err := New(Config{OIDCIssuer: p.url(), Audience: "stakegraph"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	claims := func() map[string]any { return claimsFor(map[string]any{"iss": p.url(), "aud": "stakegraph"}) }

	if v, err := a.Verify(signWith(t, "ES256", "2026-1", claims(), ec)); err != nil || v.Subject != "alice" {
		t.Fatalf("a token of the provider's key: %+v, %v", v, err)
	}
	// The discovered issuer is required: the same key's token from elsewhere is refused.
	other := claimsFor(map[string]any{"iss": "https://elsewhere.example", "aud": "stakegraph"})
	if _, err := a.Verify(signWith(t, "ES256", "2026-1", other, ec)); err == nil || !strings.Contains(err.Error(), "issuer") {
		t.Fatalf("a token of another issuer: %v, want the issuer refused", err)
	}
	fetched := p.jwksFetch.Load()
	for i := 0; i < 3; i++ {
		// Tokens of a known key are served from the cache.
		if _, err := a.Verify(signWith(t, "ES256", "2026-1", claims(), ec)); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.jwksFetch.Load(); got != fetched {
		t.Fatalf("the key set was fetched %d more times for known keys, want 0", got-fetched)
	}

	// The provider rotates: a token with the new kid makes the key set be fetched again.
	p.publish(jwkOf("2026-1", ec), jwkOf("2026-2", next))
	if _, err := a.Verify(signWith(t, "ES256", "2026-2", claims(), next)); err != nil {
		t.Fatalf("after the provider published a new key: %v", err)
	}
	if got := p.jwksFetch.Load(); got != fetched+1 {
		t.Fatalf("the key set was fetched %d times for one unknown kid, want 1", got-fetched)
	}
	// Forged kids right after do not make it fetch again (at most every jwksReloadEvery).
	for i := 0; i < 5; i++ {
		_, err := a.Verify(signWith(t, "ES256", "forged", claims(), next))
		if err == nil || err.Error() != "the token's key (kid) is not among the configured keys" {
			t.Fatalf("a forged kid: %v", err)
		}
	}
	if got := p.jwksFetch.Load(); got != fetched+1 {
		t.Fatalf("forged kids made %d fetches, want none", got-fetched-1)
	}
}

func TestRemoteKeySetIsRefreshedInTheBackground(t *testing.T) {
	ec := ecKey(t)
	p := newProvider(t, jwkOf("k", ec))
	refresh := Duration(20 * time.Millisecond)
	a, err := New(Config{JWKSURL: p.url() + "/protocol/openid-connect/certs", JWKSRefresh: &refresh})
	if err != nil {
		t.Fatal(err)
	}
	token := signWith(t, "ES256", "k", claimsFor(nil), ec)
	if _, err := a.Verify(token); err != nil {
		t.Fatal(err)
	}
	// The provider revokes the key; the next background refresh drops it.
	p.publish(jwkOf("other", ecKey(t)))
	seen := p.jwksFetch.Load()
	deadline := time.Now().Add(10 * time.Second)
	for p.jwksFetch.Load() < seen+2 { // one fetch may have been under way before the change
		if time.Now().After(deadline) {
			t.Fatal("the key set was not fetched again in the background")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := a.Verify(token); err == nil {
		t.Fatal("a token of a revoked key was accepted after the refresh")
	}
	a.Close()
	time.Sleep(10 * refreshDuration(refresh)) // the refresher stopped: no more fetches
	stopped := p.jwksFetch.Load()
	time.Sleep(5 * refreshDuration(refresh))
	if got := p.jwksFetch.Load(); got != stopped {
		t.Fatalf("the key set was fetched %d times after Close", got-stopped)
	}
}

func refreshDuration(d Duration) time.Duration { return time.Duration(d) }

func TestOIDCConfigurationErrors(t *testing.T) {
	p := newProvider(t, jwkOf("k", ecKey(t)))
	tests := []struct {
		name string
		cfg  Config
		err  string
	}{
		{"a discovery document naming another issuer", Config{OIDCIssuer: p.url()}, "did not match the issuer URL returned by provider"},
		{"an issuer without discovery", Config{OIDCIssuer: p.url() + "-x"}, "oidcIssuer"},
		{"plain http to another machine", Config{OIDCIssuer: "http://idp.example/realms/planning"}, "keys must come over https"},
		{"a JWKS URL that is not one", Config{JWKSURL: "ftp://idp.example/keys"}, "is not an http(s) URL"},
		{"two key sets", Config{JWKSURL: p.url() + "/protocol/openid-connect/certs", OIDCIssuer: p.url()}, "set one of jwksFile, oidcIssuer and jwksURL"},
		{"an unreachable JWKS", Config{JWKSURL: p.url() + "/nothing"}, "fetching the JWKS"},
		{"a role mapped to no role", Config{HS256Secret: secret, Claims: ClaimMapping{Roles: map[string]graph.Role{"x": "root"}}}, `claims.roles["x"]`},
		{"a nation mapped to no code", Config{HS256Secret: secret, Claims: ClaimMapping{Nations: map[string]string{"g": "UK"}}}, `claims.nations["g"]`},
	}
	p.issuer = "https://someone-else.example"
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			a, err := NewContext(context.Background(), tt.cfg)
			if err == nil {
				a.Close()
				t.Fatalf("accepted, want an error saying %q", tt.err)
			}
			if !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error = %v, want it to say %q", err, tt.err)
			}
		})
	}
}

func TestClaimMapping(t *testing.T) {
	keycloak := ClaimMapping{
		Subject: "preferred_username", Role: "realm_access.roles", Nation: "groups", NationPrefix: "/nations/",
		Roles: map[string]graph.Role{"stakegraph-viewer": graph.RoleViewer, "stakegraph-editor": graph.RoleEditor, "stakegraph-admin": graph.RoleAdmin},
	}
	entra := ClaimMapping{Role: "roles", Nation: "groups",
		Roles:   map[string]graph.Role{"Stakegraph.Analyst": graph.RoleAnalyst},
		Nations: map[string]string{"7f1c0d7e-2b41-4b2e-9d3c-1a2b3c4d5e6f": "FRA"}}
	url := ClaimMapping{Role: "https://stakegraph.example/role"}
	kc := func(edits map[string]any) map[string]any {
		c := map[string]any{"sub": "f3a9-uuid", "preferred_username": "alice",
			"realm_access": map[string]any{"roles": []any{"offline_access", "stakegraph-viewer", "stakegraph-editor", "uma_authorization"}},
			"groups":       []any{"/analysts", "/nations/GBR"}}
		for k, v := range edits {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name   string
		m      ClaimMapping
		claims map[string]any
		want   *graph.Viewer
		err    string
	}{
		{"Keycloak: the strongest mapped realm role and the nation group", keycloak, kc(nil), &graph.Viewer{Subject: "alice", Role: graph.RoleEditor, Nation: "GBR"}, ""},
		{"Keycloak: no mapped role is refused", keycloak, kc(map[string]any{"realm_access": map[string]any{"roles": []any{"offline_access"}}}), nil, `the token's "realm_access.roles" claim holds no value that claims.roles maps to a role`},
		{"Keycloak: no realm_access is refused", keycloak, kc(map[string]any{"realm_access": nil}), nil, `the token has no "realm_access.roles" claim`},
		{"Keycloak: two nation groups are refused", keycloak, kc(map[string]any{"groups": []any{"/nations/GBR", "/nations/FRA"}}), nil, `the token's "groups" claim names more than one nation`},
		{"Keycloak: no nation group is refused for an editor", keycloak, kc(map[string]any{"groups": []any{"/analysts"}}), nil, `the token has no "groups" claim, which every role but admin needs`},
		{"Keycloak: a malformed nation group is refused", keycloak, kc(map[string]any{"groups": []any{"/nations/gbr"}}), nil, `the token's "groups" is not an ISO 3166-1 alpha-3 code (three capital letters)`},
		{"Keycloak: roles of the wrong type are refused", keycloak, kc(map[string]any{"realm_access": map[string]any{"roles": []any{"stakegraph-admin", 3.0}}}), nil, `the token is malformed: its "realm_access.roles" claim has the wrong type`},
		{"Entra ID: an app role and a group id", entra, map[string]any{"sub": "oid", "roles": []any{"Stakegraph.Analyst"}, "groups": []any{"00000000-0000-0000-0000-000000000000", "7f1c0d7e-2b41-4b2e-9d3c-1a2b3c4d5e6f"}}, &graph.Viewer{Subject: "oid", Role: graph.RoleAnalyst, Nation: "FRA"}, ""},
		{"a claim named like a URL is read as it is", url, map[string]any{"sub": "s", "https://stakegraph.example/role": "admin"}, &graph.Viewer{Subject: "s", Role: graph.RoleAdmin}, ""},
		{"without a map, an array's role names count", ClaimMapping{}, map[string]any{"sub": "s", "role": []any{"reader", "viewer"}, "nation": "GBR"}, &graph.Viewer{Subject: "s", Role: graph.RoleViewer, Nation: "GBR"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.m.withDefaults().viewer(tt.claims)
			if tt.want != nil {
				if err != nil || *v != *tt.want {
					t.Fatalf("viewer = %+v, %v; want %+v", v, err, *tt.want)
				}
				return
			}
			if err == nil || err.Error() != tt.err {
				t.Fatalf("error = %v, want %q", err, tt.err)
			}
		})
	}
}

// TestKeycloakTokenThroughDiscovery runs a Keycloak-shaped access token (RS256, realm roles,
// a nation group, an audience) through the whole configuration as docs/security.md shows it.
func TestKeycloakTokenThroughDiscovery(t *testing.T) {
	k, _ := rsaKeys(t)
	p := newProvider(t, jwkOf("kc-rs", k))
	dir := t.TempDir()
	cfg, _ := json.Marshal(map[string]any{
		"oidcIssuer": p.url(), "audience": "stakegraph",
		"claims": map[string]any{"subject": "preferred_username", "role": "realm_access.roles",
			"roles": map[string]string{"stakegraph-analyst": "analyst"}, "nation": "groups", "nationPrefix": "/nations/"},
	})
	c, err := Load(writeFile(t, dir, "auth.json", cfg))
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	now := time.Now().Unix()
	token := signWith(t, "RS256", "kc-rs", map[string]any{
		"iss": p.url(), "aud": []string{"stakegraph", "account"}, "exp": now + 300, "iat": now, "sub": "uuid",
		"preferred_username": "bob", "realm_access": map[string]any{"roles": []string{"stakegraph-analyst", "offline_access"}},
		"groups": []string{"/nations/NOR"}, "typ": "Bearer", "azp": "stakegraph-web",
	}, k)
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	v, err := a.Authenticate(req)
	if err != nil {
		t.Fatal(err)
	}
	if want := (graph.Viewer{Subject: "bob", Role: graph.RoleAnalyst, Nation: "NOR"}); *v != want {
		t.Fatalf("viewer = %+v, want %+v", *v, want)
	}
}
