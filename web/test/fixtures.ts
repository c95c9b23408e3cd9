import type { Doc } from "../src/model";

/** A small model: two nations, an agency, an objective needing a capability chain, an agreement. */
export const doc: Doc = {
  version: 1,
  nodes: [
    { label: "Nation", id: "nation:USA", name: "United States", code: "USA", region: "North America" },
    { label: "Nation", id: "nation:FRA", name: "France", code: "FRA", region: "Europe" },
    { label: "Agency", id: "agency:usa-dod", name: "US DoD", kind: "MILITARY" },
    { label: "Agency", id: "agency:nato", name: "NATO HQ", kind: "INTERNATIONAL" },
    { label: "Objective", id: "obj:air", name: "Air policing", domain: "AIR" },
    { label: "Objective", id: "obj:cyber", name: "Cyber defence", domain: "CYBER" },
    { label: "Capability", id: "cap:aar", name: "Air-to-air refuelling", category: "enabler" },
    { label: "Capability", id: "cap:satcom", name: "Satellite communications" },
    { label: "Agreement", id: "agr:nat", name: "North Atlantic Treaty", kind: "TREATY", signed: "1949-04-04" },
    { label: "Agreement", id: "agr:old", name: "Expired MoU", kind: "MOU", signed: "2000-01-01", expires: "2010-01-01" },
    { label: "Threat", id: "threat:cyber", name: "Cyber attacks", kind: "CYBER" },
  ],
  relationships: [
    { type: "PART_OF", from: "agency:usa-dod", to: "nation:USA" },
    { type: "PURSUES", from: "nation:USA", to: "obj:air", priority: 5 },
    { type: "PURSUES", from: "nation:FRA", to: "obj:air", priority: 3 },
    { type: "REQUIRES", from: "obj:air", to: "cap:aar" },
    { type: "DEPENDS_ON", from: "cap:aar", to: "cap:satcom" },
    { type: "PROVIDES", from: "agency:usa-dod", to: "cap:satcom", validTo: "2030-01-01" },
    { type: "PROVIDES", from: "nation:FRA", to: "cap:aar", validFrom: "2026-01-01" },
    { type: "PARTY_TO", from: "nation:USA", to: "agr:nat" },
    { type: "PARTY_TO", from: "nation:FRA", to: "agr:nat" },
    { type: "GOVERNS", from: "agr:nat", to: "cap:aar" },
    { type: "ADDRESSES", from: "obj:cyber", to: "threat:cyber" },
    { type: "PARTY_TO", from: "nation:FRA", to: "agr:old" },
    { type: "PROVIDES", from: "nation:FRA", to: "cap:missing" },
  ],
};
