package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/rs/zerolog"
	"golang.org/x/time/rate"
)

// minRSABits is the smallest RSA modulus accepted (NIST SP 800-57: 2048 bits until 2030).
const minRSABits = 2048

// Algorithms names the JWT signature algorithms accepted, each checked only against keys of
// its own kind: HS256 against the shared secret, RS256 and PS256 against RSA keys, ES256
// against EC P-256 keys.
var Algorithms = []string{"HS256", "RS256", "PS256", "ES256"}

// keyFits reports whether pub may verify a signature made with alg, and whether a JWK's own
// alg and use (when it has them) allow it. A symmetric key in a key set never fits: HS256
// is checked against the configured secret alone, so a public value cannot become an HMAC
// key.
func keyFits(pub any, alg string, m jwkset.JWKMarshal) bool {
	if m.USE != "" && m.USE != jwkset.UseSig || m.ALG != "" && string(m.ALG) != alg {
		return false
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return (alg == "RS256" || alg == "PS256") && k.N.BitLen() >= minRSABits
	case *ecdsa.PublicKey:
		return alg == "ES256" && k.Curve == elliptic.P256()
	}
	return false
}

// publicKey is the public half of a JWK's key (a key set may carry private halves too).
func publicKey(k jwkset.JWK) any {
	switch p := k.Key().(type) {
	case *rsa.PrivateKey:
		return &p.PublicKey
	case *ecdsa.PrivateKey:
		return &p.PublicKey
	default:
		return p
	}
}

// loadPEM reads one RSA public key from a PEM file: PKIX (PUBLIC KEY), PKCS #1
// (RSA PUBLIC KEY) or the key of a certificate.
func loadPEM(path string) (*rsa.PublicKey, error) {
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
	if rp.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("%s holds an RSA key of %d bits; at least %d are needed", path, rp.N.BitLen(), minRSABits)
	}
	return rp, nil
}

// loadJWKS reads the signature keys of a JSON Web Key Set file (decoded and checked by
// jwkset), by kid. Keys that verify none of Algorithms — encryption keys, symmetric keys,
// other curves, short RSA keys, keys jwkset cannot read — are skipped: a key set from an
// identity provider often holds them too. With more than one key, each needs a distinct kid.
func loadJWKS(path string) (map[string]jwkset.JWK, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("%s is not a JSON Web Key Set: %v", path, err)
	}
	keys := map[string]jwkset.JWK{}
	for i, m := range set.Keys {
		k, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if err != nil || !signatureKey(k) {
			continue
		}
		if _, dup := keys[m.KID]; dup {
			return nil, fmt.Errorf("%s: keys[%d]: the kid %q is used twice", path, i, m.KID)
		}
		keys[m.KID] = k
	}
	switch {
	case len(keys) == 0:
		return nil, fmt.Errorf("%s holds no RSA signature key (nor an EC P-256 one)", path)
	case len(keys) > 1:
		if _, ok := keys[""]; ok {
			return nil, fmt.Errorf("%s holds several signature keys, not all with a kid", path)
		}
	}
	return keys, nil
}

// signatureKey reports whether k verifies at least one of Algorithms.
func signatureKey(k jwkset.JWK) bool {
	for _, alg := range Algorithms {
		if keyFits(publicKey(k), alg, k.Marshal()) {
			return true
		}
	}
	return false
}

// fetchTimeout bounds each request to the identity provider.
const fetchTimeout = 10 * time.Second

// checkFetchURL refuses a key source that an attacker on the path could replace: keys come
// over https, or over http only from this machine (a test, a sidecar).
func checkFetchURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%q: keys must come over https (http only from a loopback address)", raw)
		}
	}
	return nil
}

// discoverJWKS reads the JWKS URL from an OpenID Connect provider's discovery document; the
// go-oidc library fetches it and checks that it names the same issuer.
func discoverJWKS(ctx context.Context, client *http.Client, issuer string) (string, error) {
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, client), fetchTimeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return "", err
	}
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := p.Claims(&doc); err != nil {
		return "", err
	}
	if doc.JWKSURI == "" {
		return "", errors.New("the discovery document names no jwks_uri")
	}
	if err := checkFetchURL(doc.JWKSURI); err != nil {
		return "", fmt.Errorf("jwks_uri: %v", err)
	}
	return doc.JWKSURI, nil
}

// remoteKeys is a key set fetched over HTTP by jwkset: fetched once at start (an error if
// that fails), then again every refresh in the background, and when a token names an
// unknown kid — at most every jwksReloadEvery; a token arriving while that limit holds is
// refused at once rather than made to wait, so forged kids cannot pile requests up.
type remoteKeys struct {
	url        string
	cached     jwkset.Storage // the set as last fetched
	refreshing jwkset.Storage // the same set, fetched again when it lacks a kid
	limit      *rate.Limiter
}

func newRemoteKeys(ctx context.Context, client *http.Client, jwksURL string, refresh time.Duration) (*remoteKeys, error) {
	log := zerolog.Ctx(ctx)
	store, err := jwkset.NewStorageFromHTTP(jwksURL, jwkset.HTTPClientStorageOptions{
		Client:          client,
		Ctx:             ctx,
		HTTPTimeout:     fetchTimeout,
		RefreshInterval: refresh,
		RefreshErrorHandler: func(_ context.Context, err error) {
			log.Warn().Err(err).Str("jwks", jwksURL).Msg("could not fetch the JWKS again; keeping the keys fetched before")
		},
	})
	if err != nil {
		return nil, fmt.Errorf("fetching the JWKS %s: %w", jwksURL, err)
	}
	refreshing, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs: map[string]jwkset.Storage{jwksURL: store},
		// The limit is ours (limit, below), taken before asking; this one never waits.
		RefreshUnknownKID: rate.NewLimiter(rate.Inf, 1),
	})
	if err != nil {
		return nil, err
	}
	return &remoteKeys{url: jwksURL, cached: store, refreshing: refreshing, limit: rate.NewLimiter(rate.Every(jwksReloadEvery), 1)}, nil
}

// key returns the key of kid, fetching the set again when it lacks it and the limit allows.
func (r *remoteKeys) key(ctx context.Context, kid string) (jwkset.JWK, bool) {
	if k, err := r.cached.KeyRead(ctx, kid); err == nil {
		return k, true
	}
	if !r.limit.Allow() {
		return jwkset.JWK{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	k, err := r.refreshing.KeyRead(ctx, kid)
	return k, err == nil
}

// all returns every key of the set as last fetched.
func (r *remoteKeys) all(ctx context.Context) []jwkset.JWK {
	keys, _ := r.cached.KeyReadAll(ctx)
	return keys
}
