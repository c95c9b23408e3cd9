package graph

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

// importIDPattern is what an import id may be: short, and safe to print and to type.
var importIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$`)

// ValidateImportID checks a client's import id: 1 to 100 letters, digits, '.', '_', ':' or
// '-', starting with a letter or digit. EINVALID on field importId otherwise.
func ValidateImportID(id string) error {
	if !importIDPattern.MatchString(id) {
		return Errorf(EINVALID, "importId", "an import id is 1 to 100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
	}
	return nil
}

// NewImportID makes an import id for an import whose client gave none.
func NewImportID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "import-" + hex.EncodeToString(b[:])
}
