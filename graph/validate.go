package graph

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

var nationCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Length limits of text properties. Names stay far below Neo4j's 32 KB key limit of the
// text index on names; descriptions are bounded so that one node cannot weigh megabytes
// in every export, snapshot and audit record. docs/interchange.md lists them.
const (
	MaxIDBytes          = 200       // id, in UTF-8 bytes
	MaxNameChars        = 1000      // name
	MaxDescriptionBytes = 100 << 10 // description, in UTF-8 bytes (100 KiB)
	MaxSourceChars      = 2000      // source, of nodes and relationships
	MaxShortTextChars   = 200       // region, category, role
	MaxReleasableTo     = 300       // entries of releasableTo (ISO 3166-1 has 249 codes)
)

// ValidateNode checks n against the rules of the model. field prefixes the names of
// offending fields in the error ("input", "nodes[3]").
func ValidateNode(n *Node, field string) error {
	f := func(name string) string { return join(field, name) }
	if !n.Label.Valid() {
		return Errorf(EINVALID, f("label"), "unknown label %q (want one of %s)", n.Label, joinLabels(Labels))
	}
	if err := ValidateID(n.ID, f("id")); err != nil {
		return err
	}
	if err := validName(n.Name, f("name"), MaxNameChars); err != nil {
		return err
	}
	for _, err := range []error{
		text(n.Description, f("description"), MaxDescriptionBytes, true),
		text(n.Source, f("source"), MaxSourceChars, false),
		text(n.Region, f("region"), MaxShortTextChars, false),
		text(n.Category, f("category"), MaxShortTextChars, false),
	} {
		if err != nil {
			return err
		}
	}
	if len(n.ReleasableTo) > MaxReleasableTo {
		return Errorf(EINVALID, f("releasableTo"), "has %d entries, more than %d", len(n.ReleasableTo), MaxReleasableTo)
	}
	if err := unit(n.Confidence, f("confidence")); err != nil {
		return err
	}
	if err := unit(n.Reliability, f("reliability")); err != nil {
		return err
	}
	for i, c := range n.ReleasableTo {
		if !nationCode.MatchString(c) {
			return Errorf(EINVALID, f(fmt.Sprintf("releasableTo[%d]", i)), "%q is not an ISO 3166-1 alpha-3 code", c)
		}
	}
	only := func(name, v string, labels ...Label) error {
		if v != "" && !slices.Contains(labels, n.Label) {
			return Errorf(EINVALID, f(name), "a %s has no %s", n.Label, name)
		}
		return nil
	}
	for _, err := range []error{
		only("code", n.Code, LabelNation), only("region", n.Region, LabelNation),
		only("kind", n.Kind, LabelAgency, LabelAgreement, LabelThreat),
		only("domain", n.Domain, LabelObjective), only("category", n.Category, LabelCapability),
		only("signed", string(n.Signed), LabelAgreement), only("expires", string(n.Expires), LabelAgreement),
	} {
		if err != nil {
			return err
		}
	}
	switch n.Label {
	case LabelNation:
		if !nationCode.MatchString(n.Code) {
			return Errorf(EINVALID, f("code"), "%q is not an ISO 3166-1 alpha-3 code", n.Code)
		}
	case LabelAgency:
		return enum(n.Kind, AgencyKinds, f("kind"), true)
	case LabelObjective:
		return enum(n.Domain, ObjectiveDomains, f("domain"), true)
	case LabelAgreement:
		if err := enum(n.Kind, AgreementKinds, f("kind"), true); err != nil {
			return err
		}
		return dateRange(n.Signed, n.Expires, f("signed"), f("expires"))
	case LabelThreat:
		return enum(n.Kind, ThreatKinds, f("kind"), true)
	}
	return nil
}

// ValidateRelationship checks r against the rules of the model, given the labels of its
// endpoints (an unknown endpoint has the empty label).
func ValidateRelationship(r *Relationship, from, to Label, field string) error {
	f := func(name string) string { return join(field, name) }
	ends, ok := Endpoints[r.Type]
	if !ok {
		return Errorf(EINVALID, f("type"), "unknown relationship type %q", r.Type)
	}
	if from == "" {
		return Errorf(EINVALID, f("from"), "unknown node id %q", r.From)
	}
	if to == "" {
		return Errorf(EINVALID, f("to"), "unknown node id %q", r.To)
	}
	if !slices.Contains(ends[0], from) {
		return Errorf(EINVALID, f("from"), "%s cannot start at a %s (want %s)", r.Type, from, joinLabels(ends[0]))
	}
	if !slices.Contains(ends[1], to) {
		return Errorf(EINVALID, f("to"), "%s cannot end at a %s (want %s)", r.Type, to, joinLabels(ends[1]))
	}
	if r.From == r.To {
		return Errorf(EINVALID, f("to"), "a %s relationship cannot join %q to itself", r.Type, r.From)
	}
	if err := unit(r.Confidence, f("confidence")); err != nil {
		return err
	}
	if err := text(r.Source, f("source"), MaxSourceChars, false); err != nil {
		return err
	}
	if err := text(r.Role, f("role"), MaxShortTextChars, false); err != nil {
		return err
	}
	only := func(name string, set bool, types ...RelType) error {
		if set && !slices.Contains(types, r.Type) {
			return Errorf(EINVALID, f(name), "a %s relationship has no %s", r.Type, name)
		}
		return nil
	}
	for _, err := range []error{
		only("priority", r.Priority != 0, RelPursues),
		only("validFrom", r.ValidFrom != "", RelProvides, RelPartyTo),
		only("validTo", r.ValidTo != "", RelProvides, RelPartyTo),
		only("capacity", r.Capacity != nil, RelProvides),
		only("role", r.Role != "", RelPartyTo),
		only("mechanism", r.Mechanism != "", RelCoordinatesWith),
	} {
		if err != nil {
			return err
		}
	}
	switch r.Type {
	case RelPursues:
		if r.Priority < 1 || r.Priority > 5 {
			return Errorf(EINVALID, f("priority"), "priority must be between 1 and 5, got %d", r.Priority)
		}
	case RelProvides, RelPartyTo:
		if r.Capacity != nil && *r.Capacity < 0 {
			return Errorf(EINVALID, f("capacity"), "capacity must not be negative")
		}
		return dateRange(r.ValidFrom, r.ValidTo, f("validFrom"), f("validTo"))
	case RelCoordinatesWith:
		return enum(r.Mechanism, Mechanisms, f("mechanism"), false)
	}
	return nil
}

// ValidateDocument checks a whole interchange document: every node and relationship,
// duplicate ids and nation codes, and endpoints that exist in the document or in
// existing (labels of stored nodes by id; may be nil). The error names the JSON path
// of the first problem ("nodes[3].priority").
func ValidateDocument(doc *Document, existing map[string]Label) error {
	if doc.Version != DocumentVersion {
		return Errorf(EINVALID, "version", "unsupported version %d (want %d)", doc.Version, DocumentVersion)
	}
	labels := make(map[string]Label, len(doc.Nodes))
	codes := make(map[string]string)
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		field := fmt.Sprintf("nodes[%d]", i)
		if err := ValidateNode(n, field); err != nil {
			return err
		}
		if _, dup := labels[n.ID]; dup {
			return Errorf(EINVALID, field+".id", "duplicate id %q", n.ID)
		}
		labels[n.ID] = n.Label
		if n.Label == LabelNation {
			if other, dup := codes[n.Code]; dup {
				return Errorf(EINVALID, field+".code", "nation code %q is already used by %q", n.Code, other)
			}
			codes[n.Code] = n.ID
		}
	}
	label := func(id string) Label {
		if l, ok := labels[id]; ok {
			return l
		}
		return existing[id]
	}
	seen := make(map[RelKey]bool, len(doc.Relationships))
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		field := fmt.Sprintf("relationships[%d]", i)
		if err := ValidateRelationship(r, label(r.From), label(r.To), field); err != nil {
			return err
		}
		k := r.Key()
		if r.Type.Undirected() && k.From > k.To {
			k.From, k.To = k.To, k.From
		}
		if seen[k] {
			return Errorf(EINVALID, field, "duplicate %s relationship between %q and %q", r.Type, r.From, r.To)
		}
		seen[k] = true
	}
	if err := ValidatePartOf(doc.Relationships, func(i int) string { return fmt.Sprintf("relationships[%d]", i) }); err != nil {
		return err
	}
	return validateAudit(doc.Audit)
}

// validateAudit checks the audit events of a backup: each has an id, unique, a time and
// an action. Their changes are history, not model, and are kept as they are.
func validateAudit(events []AuditEvent) error {
	ids := make(map[string]bool, len(events))
	for i, ev := range events {
		field := fmt.Sprintf("audit[%d]", i)
		if err := ValidateID(ev.ID, field+".id"); err != nil {
			return err
		}
		if ids[ev.ID] {
			return Errorf(EINVALID, field+".id", "duplicate audit event id %q", ev.ID)
		}
		ids[ev.ID] = true
		if ev.At.IsZero() {
			return Errorf(EINVALID, field+".at", "at is required")
		}
		if strings.TrimSpace(ev.Action) == "" {
			return Errorf(EINVALID, field+".action", "action is required")
		}
	}
	return nil
}

// ValidatePartOf checks that rels make no agency PART_OF two nations; field names
// relationship i in the error. (That a stored PART_OF does not clash is the store's to
// check, in its write transaction.)
func ValidatePartOf(rels []Relationship, field func(i int) string) error {
	nationOf := map[string]string{} // agency id → the nation of its PART_OF
	for i, r := range rels {
		if r.Type != RelPartOf {
			continue
		}
		if other, dup := nationOf[r.From]; dup && other != r.To {
			return Errorf(EINVALID, field(i)+".to", "agency %q is already made PART_OF %q here; an agency is part of at most one nation", r.From, other)
		}
		nationOf[r.From] = r.To
	}
	return nil
}

// ValidateID checks an id: non-empty, at most MaxIDBytes, and printable characters only —
// no spaces, control characters or invisible formatting characters (zero-width spaces,
// right-to-left overrides), which would let two ids that look the same differ, or make an
// id in a log or an explanation read as something else.
func ValidateID(id, field string) error {
	if id == "" {
		return Errorf(EINVALID, field, "id is required")
	}
	if len(id) > MaxIDBytes {
		return Errorf(EINVALID, field, "id is longer than %d bytes", MaxIDBytes)
	}
	if !utf8.ValidString(id) {
		return Errorf(EINVALID, field, "id is not valid UTF-8")
	}
	for i, r := range id {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return Errorf(EINVALID, field, "id has %s at byte %d; ids are printable characters without spaces", describeRune(r), i)
		}
	}
	return nil
}

// validName checks a name: at most max characters, on one line, and with at least one
// visible character — a name of spaces or of a zero-width space alone is blank.
func validName(name, field string, max int) error {
	if err := text(name, field, max, false); err != nil {
		return err
	}
	if !strings.ContainsFunc(name, visibleRune) {
		return Errorf(EINVALID, field, "name is required (it is blank or has only invisible characters)")
	}
	return nil
}

// visibleRune reports whether r shows as a mark: graphic and not a space. Formatting
// characters (U+200B zero-width space, U+2060 word joiner, U+FEFF) are not graphic.
func visibleRune(r rune) bool {
	return unicode.IsGraphic(r) && !unicode.IsSpace(r) && !slices.Contains(blankLetters, r)
}

// blankLetters are graphic characters that show nothing: the Hangul fillers and the blank
// Braille pattern, favourites for names that look empty.
var blankLetters = []rune{'\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800'}

// text checks an optional text property: valid UTF-8, at most max characters (bytes for a
// multi-line text, whose limit is about storage), and no control characters — except
// tabs and line breaks where multiLine.
func text(v, field string, max int, multiLine bool) error {
	if v == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		return Errorf(EINVALID, field, "is not valid UTF-8")
	}
	if multiLine {
		if len(v) > max {
			return Errorf(EINVALID, field, "is %d bytes long, more than %d", len(v), max)
		}
	} else if n := utf8.RuneCountInString(v); n > max {
		return Errorf(EINVALID, field, "is %d characters long, more than %d", n, max)
	}
	for i, r := range v {
		if unicode.IsControl(r) && !(multiLine && (r == '\t' || r == '\n' || r == '\r')) {
			return Errorf(EINVALID, field, "has %s at byte %d", describeRune(r), i)
		}
	}
	return nil
}

// describeRune names a rejected character without printing it (it may be invisible or
// reorder the rest of the message).
func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case unicode.IsSpace(r):
		return fmt.Sprintf("a space character (U+%04X)", r)
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (U+%04X)", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("an invisible formatting character (U+%04X)", r)
	}
	return fmt.Sprintf("a non-printable character (U+%04X)", r)
}

func unit(v *float64, field string) error {
	if v != nil && !(*v >= 0 && *v <= 1) {
		return Errorf(EINVALID, field, "must be between 0 and 1, got %v", *v)
	}
	return nil
}

func enum(v string, values []string, field string, required bool) error {
	if v == "" && !required {
		return nil
	}
	if !slices.Contains(values, v) {
		return Errorf(EINVALID, field, "%q is not one of %s", v, strings.Join(values, ", "))
	}
	return nil
}

func dateRange(from, to Date, fromField, toField string) error {
	if from != "" {
		if _, err := ParseDate(string(from)); err != nil {
			return Errorf(EINVALID, fromField, "%v", err)
		}
	}
	if to != "" {
		if _, err := ParseDate(string(to)); err != nil {
			return Errorf(EINVALID, toField, "%v", err)
		}
	}
	if from != "" && to != "" && to <= from {
		return Errorf(EINVALID, toField, "%s (%s) must be after %s (%s)", lastPart(toField), to, lastPart(fromField), from)
	}
	return nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func lastPart(field string) string { return field[strings.LastIndex(field, ".")+1:] }

func joinLabels(ls []Label) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}
