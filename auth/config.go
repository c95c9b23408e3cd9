package auth

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// Environment variables that Load reads.
const (
	EnvConfig = "STAKEGRAPH_AUTH_CONFIG"       // the configuration file, when -auth-config is not given
	EnvSecret = "STAKEGRAPH_AUTH_HS256_SECRET" // the HS256 secret; overrides hs256Secret in the file
)

// Config says how requests authenticate. It is read from a JSON file with these field
// names (docs/security.md#authentication); unknown fields are an error, so that a typo
// does not silently leave a check off.
type Config struct {
	// HS256Secret verifies HS256 JWTs; at least 32 bytes. Better kept out of the file, in
	// STAKEGRAPH_AUTH_HS256_SECRET.
	HS256Secret string `json:"hs256Secret,omitempty"`
	// RS256PublicKeyFile is a PEM file with one RSA public key (PUBLIC KEY, RSA PUBLIC KEY
	// or CERTIFICATE) that verifies RS256 and PS256 JWTs.
	RS256PublicKeyFile string `json:"rs256PublicKeyFile,omitempty"`
	// JWKSFile is a JSON Web Key Set whose RSA keys verify RS256 and PS256 JWTs and whose EC
	// P-256 keys verify ES256 JWTs, chosen by the token's kid. The file is read again when a
	// token names a kid it lacks, so keys rotate without a restart.
	JWKSFile string `json:"jwksFile,omitempty"`
	// OIDCIssuer is an OpenID Connect provider's issuer URL: its discovery document
	// (OIDCIssuer/.well-known/openid-configuration) names the JWKS to fetch, which is kept
	// and refreshed every JWKSRefresh and when a token names an unknown kid. It is also the
	// issuer every JWT must name, unless Issuer says otherwise. https, or http on loopback.
	OIDCIssuer string `json:"oidcIssuer,omitempty"`
	// JWKSURL is a JSON Web Key Set fetched over HTTP(S), kept and refreshed as OIDCIssuer's;
	// for providers without discovery. At most one of JWKSFile, OIDCIssuer and JWKSURL.
	JWKSURL string `json:"jwksURL,omitempty"`
	// JWKSRefresh is how often a fetched key set is fetched again ("15m", the default).
	JWKSRefresh *Duration `json:"jwksRefresh,omitempty"`
	// Issuer, when set, must equal every JWT's iss claim.
	Issuer string `json:"issuer,omitempty"`
	// Audience, when set, must be (one of) every JWT's aud claim.
	Audience string `json:"audience,omitempty"`
	// Leeway is the clock skew allowed on exp, nbf and iat, as a Go duration ("30s", the
	// default; "0s" for none).
	Leeway *Duration `json:"leeway,omitempty"`
	// Claims says which JWT claims give the subject, role and nation (ClaimMapping); the
	// default reads sub, role and nation as they are.
	Claims ClaimMapping `json:"claims,omitempty"`
	// StaticTokens are API tokens for scripts, stored only as hashes.
	StaticTokens []StaticToken `json:"staticTokens,omitempty"`
}

// ClaimMapping says where a JWT carries whom it stands for, for identity providers that do
// not issue stakegraph's own role and nation claims. A claim is named by its name, or by a
// dotted path into nested objects ("realm_access.roles"); a name that exists as it is wins
// over a path, so that URL-shaped claim names work. A claim may hold a string or an array of
// strings.
type ClaimMapping struct {
	// Subject names the subject claim ("sub" by default; e.g. "preferred_username").
	Subject string `json:"subject,omitempty"`
	// Role names the claim holding the role ("role" by default; Keycloak
	// "realm_access.roles", Entra ID "roles").
	Role string `json:"role,omitempty"`
	// Roles maps the role claim's values to stakegraph roles ({"sg-editors": "editor"});
	// values it does not name are ignored. Without it a value must be a role's own name.
	// When several values map to roles, the strongest counts.
	Roles map[string]graph.Role `json:"roles,omitempty"`
	// Nation names the claim holding the nation ("nation" by default; e.g. "groups").
	Nation string `json:"nation,omitempty"`
	// NationPrefix, when set, takes the nation from the values that start with it, less the
	// prefix ("/nations/" turns the Keycloak group "/nations/GBR" into GBR); others are
	// ignored.
	NationPrefix string `json:"nationPrefix,omitempty"`
	// Nations maps the nation claim's values to nation codes (an Entra ID group's object id
	// to "GBR"); values it does not name are ignored.
	Nations map[string]string `json:"nations,omitempty"`
}

// withDefaults names the default claims.
func (m ClaimMapping) withDefaults() ClaimMapping {
	if m.Subject == "" {
		m.Subject = "sub"
	}
	if m.Role == "" {
		m.Role = "role"
	}
	if m.Nation == "" {
		m.Nation = "nation"
	}
	return m
}

func (m ClaimMapping) check() error {
	for v, r := range m.Roles {
		if !r.Valid() {
			return configErrorf("claims.roles[%q] is %q, not one of viewer, analyst, editor, admin", v, r)
		}
	}
	for v, n := range m.Nations {
		if !nationCode.MatchString(n) {
			return configErrorf("claims.nations[%q] is %q, not an ISO 3166-1 alpha-3 code", v, n)
		}
	}
	if m.NationPrefix != "" && len(m.Nations) > 0 {
		return configErrorf("claims: set nationPrefix or nations, not both")
	}
	return nil
}

// StaticToken is a long-lived API token for scripts: the SHA-256 of the token (as
// `stakegraph token hash` prints it) and whom it stands for.
type StaticToken struct {
	SHA256  string     `json:"sha256"`
	Subject string     `json:"subject"`
	Role    graph.Role `json:"role"`
	Nation  string     `json:"nation,omitempty"` // ISO alpha-3; required for every role but admin
}

// Duration is a time.Duration written in JSON as a Go duration string ("30s").
type Duration time.Duration

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New(`a duration is a string such as "30s"`)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a non-negative duration such as \"30s\"", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// defaultLeeway allows for clocks a little apart between the issuer and this server.
const defaultLeeway = 30 * time.Second

// minSecret is the shortest HS256 secret accepted: HMAC-SHA256 is only as strong as its key.
const minSecret = 32

// Configured reports whether c sets any credential; a server without one serves openly,
// and only on loopback.
func (c Config) Configured() bool {
	return c.HS256Secret != "" || c.RS256PublicKeyFile != "" || c.JWKSFile != "" || c.OIDCIssuer != "" ||
		c.JWKSURL != "" || len(c.StaticTokens) > 0
}

// defaultJWKSRefresh is how often a fetched key set is fetched again: often enough that a
// revoked key goes soon, rarely enough not to matter to the provider. A token with an
// unknown kid fetches it sooner.
const defaultJWKSRefresh = 15 * time.Minute

func (c Config) jwksRefresh() time.Duration {
	if c.JWKSRefresh == nil || *c.JWKSRefresh == 0 {
		return defaultJWKSRefresh
	}
	return time.Duration(*c.JWKSRefresh)
}

func (c Config) leeway() time.Duration {
	if c.Leeway == nil {
		return defaultLeeway
	}
	return time.Duration(*c.Leeway)
}

func (c Config) check() error {
	if !c.Configured() {
		return configErrorf("no credential configured: set hs256Secret, rs256PublicKeyFile, jwksFile, oidcIssuer, jwksURL or staticTokens")
	}
	sets := 0
	for _, f := range []string{c.JWKSFile, c.OIDCIssuer, c.JWKSURL} {
		if f != "" {
			sets++
		}
	}
	if sets > 1 {
		return configErrorf("set one of jwksFile, oidcIssuer and jwksURL: each is a whole key set")
	}
	for name, u := range map[string]string{"oidcIssuer": c.OIDCIssuer, "jwksURL": c.JWKSURL} {
		if u != "" {
			if err := checkFetchURL(u); err != nil {
				return configErrorf("%s: %v", name, err)
			}
		}
	}
	if err := c.Claims.check(); err != nil {
		return err
	}
	if c.HS256Secret != "" && len(c.HS256Secret) < minSecret {
		return configErrorf("hs256Secret is %d bytes; it must have at least %d", len(c.HS256Secret), minSecret)
	}
	return nil
}

// Load reads the configuration from the JSON file at path (none when path is empty) and
// takes the HS256 secret from STAKEGRAPH_AUTH_HS256_SECRET when that is set. Relative key
// file names are relative to the configuration file.
func Load(path string) (Config, error) {
	var c Config
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, configErrorf("%v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return c, configErrorf("%s: %v", path, err)
		}
		dir := filepath.Dir(path)
		for _, f := range []*string{&c.RS256PublicKeyFile, &c.JWKSFile} {
			if *f != "" && !filepath.IsAbs(*f) {
				*f = filepath.Join(dir, *f)
			}
		}
	}
	if s := os.Getenv(EnvSecret); s != "" {
		c.HS256Secret = s
	}
	return c, nil
}

// staticToken is a StaticToken ready to compare against.
type staticToken struct {
	hash   [32]byte
	viewer graph.Viewer
}

func (t StaticToken) compile() (staticToken, error) {
	var st staticToken
	h, err := hex.DecodeString(strings.ToLower(t.SHA256))
	if err != nil || len(h) != len(st.hash) {
		return st, errors.New("sha256 is not 64 hexadecimal digits (make it with `stakegraph token hash`)")
	}
	copy(st.hash[:], h)
	switch {
	case t.Subject == "":
		return st, errors.New("subject is empty")
	case !t.Role.Valid():
		return st, errors.New("role is not one of viewer, analyst, editor, admin")
	case t.Nation == "" && t.Role != graph.RoleAdmin:
		return st, errors.New("nation is empty; every role but admin needs one")
	case t.Nation != "" && !nationCode.MatchString(t.Nation):
		return st, errors.New("nation is not an ISO 3166-1 alpha-3 code (three capital letters)")
	}
	st.viewer = graph.Viewer{Subject: t.Subject, Role: t.Role, Nation: t.Nation}
	return st, nil
}

// configErrorf is an error in the authentication configuration, found at startup.
func configErrorf(format string, args ...any) error {
	return fmt.Errorf("authentication configuration: "+format, args...)
}
