package auth

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// FuzzParseJWT feeds any string to the parser and to every configured verifier, and the
// same string as the claims of a correctly signed token so that the claim checks are
// reached too. Nothing may panic; every refusal is UNAUTHENTICATED with a message that
// does not echo the input; anything accepted is a well-formed viewer.
func FuzzParseJWT(f *testing.F) {
	auths := authenticators(f)
	for _, s := range []string{
		"", ".", "..", "a.b.c", staticEditor,
		hs(claimsFor(nil)),
		sign(map[string]any{"alg": "none"}, claimsFor(nil), nil),
		`{"sub":"s","role":"viewer","nation":"GBR","exp":9999999999}`,
		`{"sub":"s","role":"admin","exp":1e300,"aud":[1,2]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		check := func(v *graph.Viewer, err error) {
			t.Helper()
			if err != nil {
				msg := err.Error()
				if graph.ErrorCode(err) != graph.EUNAUTHENTICATED || msg == "" {
					t.Fatalf("refusal %q (code %s) is not a clear UNAUTHENTICATED error", msg, graph.ErrorCode(err))
				}
				if len(input) >= 24 && strings.Contains(msg, input) {
					t.Fatalf("the error quotes the token: %q", msg)
				}
				return
			}
			if v == nil || v.Subject == "" || !v.Role.Valid() || v.Role != graph.RoleAdmin && !nationCode.MatchString(v.Nation) {
				t.Fatalf("accepted an ill-formed viewer %+v", v)
			}
		}
		if _, err := parseJWT(input); err != nil {
			check(nil, err)
		}
		for _, a := range auths {
			check(a.Verify(input))
		}
		header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256"}`))
		claims := base64.RawURLEncoding.EncodeToString([]byte(input))
		check(auths["hs"].Verify(sign2(header+"."+claims, []byte(secret))))
	})
}

// sign2 appends an HS256 signature to header.claims as given, byte for byte.
func sign2(signed string, key []byte) string {
	return signed + "." + base64.RawURLEncoding.EncodeToString(hmacSHA256(key, signed))
}

// FuzzClaimMapping reads any JSON object as the claims of a token under a Keycloak-style
// mapping and the default one. Nothing may panic; a refusal is UNAUTHENTICATED and quotes
// no claim value; anything accepted is a well-formed viewer.
func FuzzClaimMapping(f *testing.F) {
	keycloak := ClaimMapping{Subject: "preferred_username", Role: "realm_access.roles", Nation: "groups", NationPrefix: "/nations/",
		Roles: map[string]graph.Role{"sg-viewer": graph.RoleViewer, "sg-admin": graph.RoleAdmin}}.withDefaults()
	plain := ClaimMapping{}.withDefaults()
	for _, s := range []string{
		`{"preferred_username":"bob","realm_access":{"roles":["sg-viewer"]},"groups":["/nations/NOR"]}`,
		`{"preferred_username":"bob","realm_access":{"roles":["sg-admin","x"]},"groups":[]}`,
		`{"sub":"s","role":["viewer","admin"],"nation":"GBR"}`,
		`{"realm_access":{"roles":[1,2]},"groups":{"a":1},"role":{"x":[]}}`,
		`{"preferred_username":["a","b"],"realm_access":"sg-admin","groups":"/nations/GBR"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		var all map[string]any
		if json.Unmarshal([]byte(input), &all) != nil {
			return
		}
		for _, m := range []ClaimMapping{keycloak, plain} {
			v, err := m.viewer(all)
			if err != nil {
				if graph.ErrorCode(err) != graph.EUNAUTHENTICATED {
					t.Fatalf("refusal %q is not UNAUTHENTICATED", err)
				}
				for _, s := range stringValues(all) {
					if len(s) >= 8 && !strings.Contains(m.Subject+m.Role+m.Nation+m.NationPrefix, s) && strings.Contains(err.Error(), s) {
						t.Fatalf("the error %q quotes a claim value %q", err, s)
					}
				}
				continue
			}
			if v.Subject == "" || !v.Role.Valid() || v.Role != graph.RoleAdmin && !nationCode.MatchString(v.Nation) {
				t.Fatalf("accepted an ill-formed viewer %+v", v)
			}
		}
	})
}

// stringValues are the strings among v's values (not its keys), at any depth.
func stringValues(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, stringValues(x)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, stringValues(x)...)
		}
		return out
	}
	return nil
}
