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

// Handler serves the built assets: the explorer at "/", the GraphQL IDE at "/graphiql"
// (graphiql.html), and the files Vite wrote. Anything else is 404 — the explorer keeps
// its state in the query string, so it has no routes of its own to fall back for, and an
// unknown path answered with the explorer's page would hide a client's mistake (a POST to
// /graphql/, a scrape of a wrong path). A binary built without the front end says how to
// build it.
func Handler() http.Handler {
	assets := Assets()
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		switch {
		case p == "" || p == "graphiql":
			if !Built() {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(notBuilt))
				return
			}
			if p != "" {
				r.URL.Path = "/" + p + ".html"
			}
		case strings.HasSuffix(r.URL.Path, "/") || p == "index.html":
			// No directory listings; index.html is "/" (FileServer would redirect it).
			http.NotFound(w, r)
			return
		default:
			if fi, err := fs.Stat(assets, p); err != nil || fi.IsDir() {
				http.NotFound(w, r)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

const notBuilt = `<!doctype html><title>stakegraph</title>
<p>The web front end is not built into this binary. Run <code>make run</code> (or
<code>make web</code> and rebuild). The GraphQL API answers at <a href="/graphql">/graphql</a>.</p>`
