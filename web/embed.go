// Package web serves the visual explorer and the GraphQL IDE, built from this folder by
// Vite (npm run build → dist/) and embedded into the binary, so nothing is ever loaded
// from outside it.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Assets is the built front end; empty but for a placeholder until `npm run build` ran.
func Assets() fs.FS {
	sub, _ := fs.Sub(dist, "dist")
	return sub
}

// Built reports whether the front end was built into this binary.
func Built() bool {
	_, err := fs.Stat(Assets(), "index.html")
	return err == nil
}

// Handler serves the built assets. Paths without a file extension fall back to
// index.html, so the explorer's own routes survive a reload; a binary built without
// the front end says how to build it.
func Handler() http.Handler {
	assets := Assets()
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !Built() {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(notBuilt))
			return
		}
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" && path.Ext(p) == "" {
			if _, err := fs.Stat(assets, p+".html"); err == nil {
				r.URL.Path = "/" + p + ".html"
			} else {
				r.URL.Path = "/"
			}
		}
		files.ServeHTTP(w, r)
	})
}

const notBuilt = `<!doctype html><title>stakegraph</title>
<p>The web front end is not built into this binary. Run <code>make run</code> (or
<code>make web</code> and rebuild). The GraphQL API answers at <a href="/graphql">/graphql</a>.</p>`
