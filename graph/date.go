package graph

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// Date is an ISO 8601 calendar date ("2027-03-01"); the empty Date is absent.
// Valid dates compare correctly as strings, which the validity rules rely on.
type Date string

// dateLayout is the only accepted date form.
const dateLayout = "2006-01-02"

// ParseDate checks that s is a calendar date in ISO 8601 form.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Format(dateLayout) != s {
		return "", fmt.Errorf("%q is not an ISO 8601 date (YYYY-MM-DD)", s)
	}
	return Date(s), nil
}

// Today is the current UTC date, the default asOf of every analysis.
func Today() Date { return DateOf(time.Now()) }

// DateOf is the UTC calendar date of t.
func DateOf(t time.Time) Date { return Date(t.UTC().Format(dateLayout)) }

// Time is the date at UTC midnight; the zero time for the empty Date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(dateLayout, string(d))
	return t
}

// AddDays is the date n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// MarshalGQL writes the date as a GraphQL string, or null when absent.
func (d Date) MarshalGQL(w io.Writer) {
	if d == "" {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = io.WriteString(w, strconv.Quote(string(d)))
}

// UnmarshalGQL reads a GraphQL string as a date, rejecting anything else.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return Errorf(EINVALID, "", "a date must be a string (YYYY-MM-DD)")
	}
	p, err := ParseDate(s)
	if err != nil {
		return Errorf(EINVALID, "", "%v", err)
	}
	*d = p
	return nil
}

// MarshalGQL writes the type as a GraphQL enum value.
func (t RelType) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(t))) }

// UnmarshalGQL reads a GraphQL enum value as a relationship type.
func (t *RelType) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if !RelType(s).Valid() {
		return Errorf(EINVALID, "", "%q is not a relationship type", s)
	}
	*t = RelType(s)
	return nil
}
