package neo4j

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// schema is the set of constraints and indexes the store relies on. Every statement is
// idempotent (IF NOT EXISTS), so Migrate runs at every start.
var schema = []string{
	// Ids are unique across the whole graph, and unique per label as well.
	`CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT nation_id IF NOT EXISTS FOR (e:Nation) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (e:Agency) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT objective_id IF NOT EXISTS FOR (e:Objective) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT capability_id IF NOT EXISTS FOR (e:Capability) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT agreement_id IF NOT EXISTS FOR (e:Agreement) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT threat_id IF NOT EXISTS FOR (e:Threat) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT nation_code IF NOT EXISTS FOR (e:Nation) REQUIRE e.code IS UNIQUE`,
	// The graph version (Store.Version), outside the model: one node.
	`CREATE CONSTRAINT graph_version_id IF NOT EXISTS FOR (v:GraphVersion) REQUIRE v.id IS UNIQUE`,
	// The audit trail, outside the model; its ids sort by time.
	`CREATE CONSTRAINT audit_id IF NOT EXISTS FOR (a:AuditEvent) REQUIRE a.id IS UNIQUE`,
	// An import id is applied once: two imports racing with one id cannot both commit.
	`CREATE CONSTRAINT audit_import_id IF NOT EXISTS FOR (a:AuditEvent) REQUIRE a.importId IS UNIQUE`,
	// Saved views of the explorer, outside the model; their ids sort by time.
	`CREATE CONSTRAINT saved_view_id IF NOT EXISTS FOR (sv:SavedView) REQUIRE sv.id IS UNIQUE`,
	// The filters of the list queries.
	`CREATE INDEX nation_region IF NOT EXISTS FOR (e:Nation) ON (e.region)`,
	`CREATE INDEX agency_kind IF NOT EXISTS FOR (e:Agency) ON (e.kind)`,
	`CREATE INDEX objective_domain IF NOT EXISTS FOR (e:Objective) ON (e.domain)`,
	`CREATE INDEX capability_category IF NOT EXISTS FOR (e:Capability) ON (e.category)`,
	`CREATE INDEX agreement_kind IF NOT EXISTS FOR (e:Agreement) ON (e.kind)`,
	`CREATE INDEX threat_kind IF NOT EXISTS FOR (e:Threat) ON (e.kind)`,
	// Name search is a case-insensitive substring match on a lower-cased copy of the name;
	// a text index serves CONTAINS.
	`CREATE TEXT INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.nameLower)`,
}

// Migrate applies the constraints and indexes and waits until they are online.
func (s *Store) Migrate(ctx context.Context) error {
	for _, stmt := range schema {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.db)); err != nil {
			return mapError(ctx, err)
		}
	}
	_, err := neo4j.ExecuteQuery(ctx, s.driver, `CALL db.awaitIndexes(300)`, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.db))
	return mapError(ctx, err)
}

func lowerName(s string) any {
	if s == "" {
		return nil
	}
	return strings.ToLower(s)
}
