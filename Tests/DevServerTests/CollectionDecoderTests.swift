import Foundation
import PBJSON
import Testing

@testable import PocketBase

/// How collection JSON lands on an existing collection: PocketBase's `json.Unmarshal` onto the stored struct.
@Suite struct CollectionDecoderTests {
    static func decode(_ json: String, existing: CollectionModel? = nil) throws -> CollectionModel {
        try CollectionDecoder.decode(try JSONValue.parse(json), existing: existing, now: "2026-01-01 00:00:00.000Z")
    }

    static func providers(_ c: CollectionModel) -> [JSONValue] { c.options["oauth2"]?["providers"]?.arrayValue ?? [] }

    /// Found while checking the dashboard's OAuth2 editor against PocketBase 0.23.12: the API never returns
    /// `clientSecret`, so a save without it must keep the stored one — and PocketBase keeps it by position (the
    /// provider now at index 0 gets the secret that was at index 0; verified on the real binary).
    @Test func providersSentWithoutSecretsKeepTheSecretAtTheirPosition() throws {
        let created = try Self.decode(#"""
            {"name": "members", "type": "auth", "oauth2": {"enabled": true, "providers": [
              {"name": "google", "clientId": "cid", "clientSecret": "sec1", "extra": {"a": 1}},
              {"name": "github", "clientId": "gid", "clientSecret": "sec2"}]}}
            """#)
        #expect(Self.providers(created).map { $0["clientSecret"]?.stringValue } == ["sec1", "sec2"])
        let patched = try Self.decode(#"{"oauth2": {"providers": [{"name": "github", "clientId": "gid2", "extra": {"b": 2}}]}}"#, existing: created)
        let after = Self.providers(patched)
        #expect(after.count == 1)
        #expect(after.first?["name"] == "github" && after.first?["clientId"] == "gid2")
        #expect(after.first?["clientSecret"] == "sec1", "position 0's secret stays")
        #expect(after.first?["extra"] == .obj(["a": 1, "b": 2]), "maps merge like Go's decoder")
        // Leaving the providers out keeps them all.
        let untouched = try Self.decode(#"{"oauth2": {"enabled": false}}"#, existing: created)
        #expect(Self.providers(untouched).map { $0["clientSecret"]?.stringValue } == ["sec1", "sec2"])
    }

    /// PocketBase's FieldsList.Add: the same name without an id replaces the earlier field in place (keeping its
    /// id); the same id replaces too; ids derived from type+name stay unique.
    @Test func repeatedFieldsReplaceLikeFieldsListAdd() throws {
        let c = try Self.decode(#"""
            {"name": "posts", "type": "base", "fields": [
              {"name": "a", "type": "text"}, {"name": "b", "type": "text"}, {"name": "a", "type": "number"},
              {"id": "x1", "name": "c", "type": "text"}, {"id": "x1", "name": "d", "type": "bool"}]}
            """#)
        #expect(c.fields.map(\.name) == ["id", "a", "b", "d"])
        #expect(c.fields.first { $0.name == "a" }?.type == .number)
        #expect(c.fields.first { $0.name == "a" }?.id == "text3904355907", "keeps the first field's id")
        #expect(Set(c.fields.map(\.id)).count == c.fields.count)
    }
}
