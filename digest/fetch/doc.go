// Package fetch is the HTTP side of polling news feeds: it downloads one feed document (RSS,
// Atom or JSON Feed) politely and reports a failure in words a person understands.
//
// A Client owns its http.Client: a whole-request timeout that also covers reading the body, a
// cap on the decompressed body, a User-Agent that feed-reader-gated sites accept, gzip,
// conditional GET (If-None-Match / If-Modified-Since), Retry-After and Cache-Control max-age for
// the caller's scheduler, and a per-host concurrency limit so a slow host never delays others.
//
// Fetch never parses the document. Whether the bytes are a feed, an HTML page or malformed XML
// is the parser's verdict; fetch reports timeouts, network and TLS failures, HTTP statuses,
// oversized and empty bodies, undecodable encodings and redirect trouble, always as an *Error.
package fetch
