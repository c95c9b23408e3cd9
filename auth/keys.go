package auth

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"
)

// minRSABits is the smallest RSA modulus accepted (NIST SP 800-57: 2048 bits until 2030).
const minRSABits = 2048

// rsaKey is a public key that verifies RS256 signatures.
type rsaKey struct {
	pub *rsa.PublicKey
}

func newRSAKey(pub *rsa.PublicKey) (*rsaKey, error) {
	if pub.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("an RSA key of %d bits; at least %d are needed", pub.N.BitLen(), minRSABits)
	}
	return &rsaKey{pub: pub}, nil
}

// loadPEM reads one RSA public key from a PEM file: PKIX (PUBLIC KEY), PKCS #1
// (RSA PUBLIC KEY) or the key of a certificate.
func loadPEM(path string) (*rsaKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s holds no PEM block", path)
	}
	var pub any
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			pub = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("%s holds a %s, not a public key (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)", path, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	rp, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s holds a %T key; RS256 needs an RSA key", path, pub)
	}
	k, err := newRSAKey(rp)
	if err != nil {
		return nil, fmt.Errorf("%s holds %v", path, err)
	}
	return k, nil
}

// jwk is one JSON Web Key (RFC 7517), the fields an RSA signature key has.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// loadJWKS reads the RSA signature keys of a JSON Web Key Set, by kid. Keys of other types
// or meant for encryption or other algorithms are skipped: a key set from an identity
// provider often holds them too. With more than one key, each needs a distinct kid.
func loadJWKS(path string) (map[string]*rsaKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("%s is not a JSON Web Key Set: %v", path, err)
	}
	keys := map[string]*rsaKey{}
	for i, k := range set.Keys {
		if k.Kty != "RSA" || k.Use != "" && k.Use != "sig" || k.Alg != "" && k.Alg != "RS256" {
			continue
		}
		pub, err := k.public()
		if err != nil {
			return nil, fmt.Errorf("%s: keys[%d]: %v", path, i, err)
		}
		if _, dup := keys[k.Kid]; dup {
			return nil, fmt.Errorf("%s: keys[%d]: the kid %q is used twice", path, i, k.Kid)
		}
		keys[k.Kid] = pub
	}
	switch {
	case len(keys) == 0:
		return nil, fmt.Errorf("%s holds no RSA signature key", path)
	case len(keys) > 1 && keys[""] != nil:
		return nil, fmt.Errorf("%s holds several RSA keys, not all with a kid", path)
	}
	return keys, nil
}

// public decodes the modulus and exponent.
func (k jwk) public() (*rsaKey, error) {
	// Some issuers pad base64url; RFC 7518 says not to, but the key means the same.
	n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
	if err != nil || len(n) == 0 {
		return nil, errors.New(`"n" is not a base64url number`)
	}
	e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New(`"e" is not a base64url number of at most 32 bits`)
	}
	exp := new(big.Int).SetBytes(e).Int64()
	if exp < 3 || exp%2 == 0 {
		return nil, errors.New(`"e" is not an odd number of at least 3`)
	}
	return newRSAKey(&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp)})
}

// rsaKey chooses the key for an RS256 token with the given kid: the JWKS key of that kid
// (re-reading the file once if it lacks it, since keys rotate), or, without a kid, the one
// key configured. A token cannot bring its own key.
func (a *Authenticator) rsaKey(kid string) (*rsaKey, error) {
	if a.pemKey == nil && a.jwksFile == "" {
		return nil, fail("the token's algorithm RS256 is not accepted: no RSA public key is configured")
	}
	if a.jwksFile == "" {
		// One key and no key set: a kid names nothing to choose between.
		return a.pemKey, nil
	}
	if kid == "" {
		if a.pemKey != nil {
			return a.pemKey, nil
		}
		a.mu.RLock()
		defer a.mu.RUnlock()
		if len(a.jwks) == 1 {
			for _, k := range a.jwks {
				return k, nil
			}
		}
		return nil, fail("the token names no key (kid) and several are configured")
	}
	if k := a.jwksKey(kid); k != nil {
		return k, nil
	}
	if a.reloadJWKS() {
		if k := a.jwksKey(kid); k != nil {
			return k, nil
		}
	}
	return nil, fail("the token's key (kid) is not among the configured keys")
}

func (a *Authenticator) jwksKey(kid string) *rsaKey {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.jwks[kid]
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
