package graph

import (
	"errors"
	"fmt"
)

// Error codes. The API shows them as GraphQL extensions.code.
const (
	EINVALID         = "BAD_USER_INPUT"  // the input is malformed or breaks a rule of the model
	ENOTFOUND        = "NOT_FOUND"       // an id names nothing (or nothing the viewer may see)
	ECONFLICT        = "CONFLICT"        // the write clashes with existing data
	EFORBIDDEN       = "FORBIDDEN"       // the viewer may not do this
	EUNAUTHENTICATED = "UNAUTHENTICATED" // no credentials, or ones that do not verify (HTTP 401)
	ETIMEOUT         = "TIMEOUT"         // the request ran past its deadline
	ETOOCOMPLEX      = "TOO_COMPLEX"     // an exact answer needs more than one request may use
	EUNAVAILABLE     = "UNAVAILABLE"     // the database does not answer
	EINTERNAL        = "INTERNAL"        // a bug or an unexpected failure; details only in the log
)

// OutcomeUnknown is the Outcome of a write whose fate the store cannot know: the database
// stopped answering while it committed, so the write may or may not have been applied.
const OutcomeUnknown = "UNKNOWN"

// Error is a failure with a code that the edge maps to a response. Field names the
// offending input ("input.priority", "nodes[3].id") when there is one. Outcome is empty
// when nothing was written (every failure of a transactional write), or OutcomeUnknown.
type Error struct {
	Code    string
	Field   string
	Message string
	Outcome string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf is a coded error about field (may be empty).
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of err: its own if it is (or wraps) an *Error, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorField is the offending field of err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
