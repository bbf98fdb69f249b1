import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// pb_migrations in PocketBase 0.23's dialect, read by the JS-subset parser and applied through the engine.
@Suite struct MigrationTests {
    func emptyStorage() throws -> Storage {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-mig-\(UUID().uuidString)")
        let storage = try Storage(dataDir: dir)
        try storage.bootstrapIfNeeded()
        return storage
    }

    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-migs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func theSubsetParsesWhatGeneratorsWrite() throws {
        let statements = try JSSubset.parse(
            """
            /// <reference path="../pb_data/types.d.ts" />
            /* block
               comment */
            migrate((app) => {
              const snapshot = [{ id: 'a', "name": `b`, n: -1.5e2, nested: { list: [1, 2, null, true,], }, },];
              return app.importCollections(snapshot, false);
            }, (app) => null)
            """)
        #expect(statements.count == 1)
        let failure = #expect(throws: JSSubset.Failure.self) {
            _ = try JSSubset.parse("migrate((app) => {\n  if (x) { }\n})")
        }
        #expect(failure?.line == 2 && failure?.message.contains("`if`") == true)
        #expect(throws: JSSubset.Failure.self) { _ = try JSSubset.parse("const a = `x ${y}`") }
        #expect(throws: JSSubset.Failure.self) { _ = try JSSubset.parse("const a = 1 + 2") }
        let deep = String(repeating: "[", count: 5000)
        #expect(throws: JSSubset.Failure.self) { _ = try JSSubset.parse(deep) }
        // A cycle made by assignment is cut, not followed forever.
        let cyclic = try JSSubset.parse("const a = {x: 1}\na.self = a\na.again = a\nconst b = [a, a]\nb[2] = b")
        let scope = JSSubset.Scope(parent: nil)
        _ = try JSSubset.Evaluator(globals: [:], construct: { _, _, line in throw JSSubset.Failure("no", line: line) }).run(cyclic, scope: scope)
        #expect(scope.vars["a"]?.json?["x"] == .number(1) && scope.vars["a"]?.json?["self"] == .null)
        #expect(scope.vars["b"]?.json?.arrayValue?.count == 3)
        let recursive = try JSSubset.parse("const f = (x) => f(x)\nf(1)")
        #expect(throws: JSSubset.Failure.self) {
            _ = try JSSubset.Evaluator(globals: [:], construct: { _, _, line in throw JSSubset.Failure("no", line: line) })
                .run(recursive, scope: JSSubset.Scope(parent: nil))
        }
    }

    @Test func createUpdateAndRevertLikePocketBaseTemplates() async throws {
        let storage = try emptyStorage()
        let dir = try folder([
            "1700000000_created_posts.js": """
            migrate((app) => {
              const collection = new Collection({
                "id": "pbc_posts000001", "name": "posts", "type": "base", "listRule": "", "viewRule": null,
                "fields": [
                  {"autogeneratePattern": "[a-z0-9]{15}", "hidden": false, "id": "text3208210256", "max": 15, "min": 15,
                   "name": "id", "pattern": "^[a-z0-9]+$", "presentable": false, "primaryKey": true, "required": true, "system": true, "type": "text"},
                  {"hidden": false, "id": "text724990059", "name": "title", "type": "text", "required": true, "max": 120},
                ],
                "indexes": ["CREATE INDEX `idx_title` ON `posts` (`title`)"],
              });
              return app.save(collection);
            }, (app) => {
              const collection = app.findCollectionByNameOrId("pbc_posts000001");
              return app.delete(collection);
            })
            """,
            "1700000100_updated_posts.js": """
            migrate((app) => {
              const collection = app.findCollectionByNameOrId("pbc_posts000001")
              // update collection data
              unmarshal({ "createRule": "@request.auth.id != ''" }, collection)
              // add field
              collection.fields.addAt(2, new Field({ "id": "number1", "name": "score", "type": "number", "onlyInt": true }))
              collection.fields.add(new BoolField({ "name": "published" }))
              const title = collection.fields.getByName("title")
              title.max = 200
              return app.save(collection)
            }, (app) => {
              const collection = app.findCollectionByNameOrId("pbc_posts000001")
              unmarshal({ "createRule": null }, collection)
              collection.fields.removeById("number1")
              collection.fields.removeByName("published")
              collection.fields.getByName("title").max = 120
              return app.save(collection)
            })
            """,
        ])
        let runner = MigrationRunner(storage: storage, directory: dir)
        let applied = try await runner.up()
        #expect(applied == ["1700000000_created_posts.js", "1700000100_updated_posts.js"])
        let posts = try #require(storage.collection("posts"))
        #expect(posts.fields.map(\.name) == ["id", "title", "score", "published"])
        #expect(posts.field("published")?.id == Identifiers.fieldID(type: "bool", name: "published"))
        #expect(posts.field("title")?.int("max") == 200 && posts.field("score")?.bool("onlyInt") == true)
        #expect(posts.createRule == "@request.auth.id != ''" && posts.listRule == "" && posts.viewRule == nil)
        #expect(posts.indexes == ["CREATE INDEX `idx_title` ON `posts` (`title`)"])
        #expect(try await runner.applied().suffix(2) == ["1700000000_created_posts.js", "1700000100_updated_posts.js"])
        #expect(try await runner.up().isEmpty)  // applied once

        #expect(try await runner.down(1) == ["1700000100_updated_posts.js"])
        let reverted = try #require(storage.collection("posts"))
        #expect(reverted.fields.map(\.name) == ["id", "title"] && reverted.createRule == nil && reverted.field("title")?.int("max") == 120)
        #expect(try await runner.down(1) == ["1700000000_created_posts.js"])
        #expect(storage.collection("posts") == nil)
        #expect(try await runner.pending().count == 2)
    }

    @Test func aFailingFileLeavesNothingBehindAndNamesItsLine() async throws {
        let storage = try emptyStorage()
        let dir = try folder([
            "1700000000_bad.js": """
            migrate((app) => {
              app.save(new Collection({ "name": "half", "type": "base" }))
              const missing = app.findCollectionByNameOrId("nope")
            })
            """
        ])
        let runner = MigrationRunner(storage: storage, directory: dir)
        let failure = await #expect(throws: MigrationRunner.Failure.self) { try await runner.up() }
        #expect(failure?.file == "1700000000_bad.js" && failure?.line == 3)
        #expect(failure?.reason.contains("no rows") == true)
        #expect(storage.collection("half") == nil)
        try await storage.reloadCollections()
        #expect(storage.collection("half") == nil)
        #expect(try await runner.pending() == ["1700000000_bad.js"])
    }

    /// What `migrate collections` writes, applied to a fresh data dir, rebuilds the same schema (sptfy.in's).
    @Test func aSnapshotRoundTrips() async throws {
        let source = try emptyStorage()
        try await source.importCollections(try SptfySchema.collections(), deleteMissing: false)
        let snapshot = MigrationTemplates.snapshot(source.collections)
        #expect(snapshot.hasPrefix("/// <reference path=\"../pb_data/types.d.ts\" />\nmigrate((app) => {\n  const snapshot = [\n    {\n"))
        let target = try emptyStorage()
        let dir = try folder([MigrationTemplates.fileName("collections_snapshot"): snapshot])
        try await MigrationRunner(storage: target, directory: dir).up()
        // View clones get new ids on every save (like PocketBase): compared masked.
        let diff = SchemaDiff(
            a: MigrationCorpusTests.canonical(SchemaDiff.export(source.collections)), b: MigrationCorpusTests.canonical(SchemaDiff.export(target.collections)))
        #expect(diff.isEmpty, "\(diff.changes.map(\.description).joined(separator: "\n"))")
        #expect(MigrationTemplates.snakeCase("Add Tags") == "add_tags" && MigrationTemplates.snakeCase("createdAt_URL x") == "created_at_url_x")
    }

    /// Found running the contract suite against `serve` (automigrate on): two changes of one collection within a
    /// second got the same file name and the second save failed on the `_migrations` row.
    @Test func automigrateKeepsTwoChangesWithinOneSecond() async throws {
        let storage = try await TestData.freshStorage()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-auto-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let users = try #require(storage.collection("users"))
        var first = users
        first.listRule = "id != ''"
        var second = first
        second.listRule = "verified = true"
        let auto = Automigrate(directory: dir)
        try await auto.collectionChanged(new: first, old: users, storage: storage)
        try await auto.collectionChanged(new: second, old: first, storage: storage)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 2 && files.allSatisfy { $0.hasSuffix("_updated_users.js") } && files[0] != files[1], "\(files)")
        #expect(try await MigrationRunner(storage: storage, directory: dir).pending().isEmpty)
    }

    /// Collection changes through the API leave PocketBase's automigrate files and `_migrations` rows; replayed on a
    /// fresh data dir they rebuild the same schema.
    @Test func automigrateWritesFilesThatReplay() async throws {
        let storage = try await TestData.freshStorage()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-auto-\(UUID().uuidString)")
        let router = DevServer.buildRouter(storage: storage, automigrate: Automigrate(directory: dir))
        let app = Application(router: router)
        try await app.test(.router) { client in
            let login = try await client.execute(
                uri: "/api/collections/_superusers/auth-with-password", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: JSONValue.obj([
                    "identity": .string(DevServerConfiguration.defaultSuperuserEmail), "password": .string(DevServerConfiguration.defaultSuperuserPassword),
                ]).encoded()))
            let token = try JSONValue.parse(Array(login.body.readableBytesView))["token"]?.stringValue ?? ""
            func send(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil) async throws -> Int {
                let r = try await client.execute(
                    uri: path, method: method, headers: [.contentType: "application/json", .authorization: token],
                    body: body.map { ByteBuffer(string: $0.encoded()) })
                return Int(r.status.code)
            }
            #expect(try await send(.post, "/api/collections", .obj([
                "name": "notes", "type": "base", "listRule": "",
                "fields": [.obj(["name": "body", "type": "text", "max": 500]), .obj(["name": "stars", "type": "number"])],
            ])) == 200)
            #expect(try await send(.patch, "/api/collections/notes", .obj([
                "viewRule": "", "fields": [.obj(["name": "body", "type": "text", "max": 900]), .obj(["name": "done", "type": "bool"])],
            ])) == 200)
            #expect(try await send(.patch, "/api/collections/notes", .obj(["viewRule": ""])) == 200)  // no change, no file
            #expect(try await send(.post, "/api/collections", .obj(["name": "scratch_test", "type": "base"])) == 200)
            #expect(try await send(.delete, "/api/collections/scratch_test") == 204)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted { a, b in
            (a.split(separator: "_").first ?? "", a.contains("created_notes") ? 0 : a.contains("updated") ? 1 : a.contains("created") ? 2 : 3)
                < (b.split(separator: "_").first ?? "", b.contains("created_notes") ? 0 : b.contains("updated") ? 1 : b.contains("created") ? 2 : 3)
        }
        #expect(files.map { $0.drop { $0 != "_" } } == ["_created_notes.js", "_updated_notes.js", "_created_scratch_test_.js", "_deleted_scratch_test_.js"])
        let recorded = try await MigrationRunner(storage: storage, directory: dir).pending()
        #expect(recorded.isEmpty)  // each file's row is written with it
        let updated = try String(contentsOf: dir.appendingPathComponent(files[1]), encoding: .utf8)
        #expect(updated.contains("unmarshal({\n    \"viewRule\": \"\"\n  }, collection)"))
        #expect(updated.contains("collection.fields.removeById(\"number"))

        // Replay on a data dir with the same starting point.
        let replay = try await TestData.freshStorage()
        try await MigrationRunner(storage: replay, directory: dir).up()
        #expect(replay.collection("notes")?.exportJSON() == storage.collection("notes")?.exportJSON())
        #expect(replay.collection("scratch_test") == nil)
    }

    /// `schema diff`: collections by id then name, fields by id then name, nested options key by key.
    @Test func schemaDiffNamesEachDifference() throws {
        let a: [JSONValue] = [
            .obj(["id": "c1", "name": "posts", "listRule": "", "oauth2": .obj(["enabled": false]),
                  "fields": [.obj(["id": "f1", "name": "title", "max": 10]), .obj(["id": "f2", "name": "gone"])]]),
            .obj(["id": "c2", "name": "old"]),
        ]
        let b: [JSONValue] = [
            .obj(["id": "c1", "name": "posts", "listRule": "1=1", "oauth2": .obj(["enabled": true]),
                  "fields": [.obj(["id": "f1", "name": "title", "max": 20]), .obj(["id": "f3", "name": "new"])], "created": "x"]),
            .obj(["id": "c3", "name": "fresh"]),
        ]
        let diff = SchemaDiff(a: a, b: b)
        #expect(diff.changes.map(\.description) == [
            "~ posts.listRule: \"\" → \"1=1\"", "~ posts.oauth2.enabled: false → true", "~ posts.fields.title.max: 10 → 20",
            "- posts.fields.gone: {\"id\":\"f2\",\"name\":\"gone\"}", "+ posts.fields.new: {\"id\":\"f3\",\"name\":\"new\"}", "- old", "+ fresh",
        ])
        #expect(SchemaDiff(a: a, b: a).isEmpty)
    }

    /// Found by the dashboard's import test: PocketBase's admin-UI export leaves out `oauth2.providers`, and its import
    /// unmarshals onto the existing collection, so the providers stay. A key left out is no change; a field option
    /// left out is (a field is rebuilt from its JSON).
    @Test func schemaDiffTreatsAKeyLeftOutAsKept() throws {
        let a: [JSONValue] = [.obj(["id": "c1", "name": "users", "oauth2": .obj(["enabled": true, "providers": [.obj(["name": "spotify"])]]),
                                    "listRule": "", "fields": [.obj(["id": "f1", "name": "title", "max": 10])]])]
        let b: [JSONValue] = [.obj(["id": "c1", "name": "users", "oauth2": .obj(["enabled": true]), "fields": [.obj(["id": "f1", "name": "title"])]])]
        #expect(SchemaDiff(a: a, b: b).changes.map(\.description) == ["- users.fields.title.max: 10"])
        #expect(SchemaDiff(a: b, b: a).changes.map(\.description) == [
            "+ users.oauth2.providers: [{\"name\":\"spotify\"}]", "+ users.listRule: \"\"", "+ users.fields.title.max: 10",
        ])
    }

    /// Generated input: seeded mutations of every corpus file (truncations, deletions, inserted punctuation) are
    /// parsed and their top level evaluated — each either works or is a `Failure`, never a trap or a hang.
    @Test func mutatedCorpusFilesNeverTrap() throws {
        var rng = SplitMix(seed: 13)
        let corpora = MigrationCorpusTests.corpora
        var files: [String] = []
        for dir in ["v023", "mixed"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: corpora.appendingPathComponent(dir).path) {
                files.append(try String(contentsOf: corpora.appendingPathComponent(dir).appendingPathComponent(name), encoding: .utf8))
            }
        }
        let inserts: [String] = ["(", ")", "{", "}", "[", "]", ",", "=>", "\"", "'", "`", "/*", "//", "\\", "new ", "-", ".", "=", ";", "\u{0}"]
        var failures = 0, parsed = 0
        for text in files {
            let chars = Array(text.unicodeScalars)
            for _ in 0..<40 {
                var mutated = chars
                let at = Int(rng.next() % UInt64(max(mutated.count, 1)))
                switch rng.next() % 3 {
                case 0: mutated = Array(mutated.prefix(at))
                case 1: if at < mutated.count { mutated.remove(at: at) }
                default: mutated.insert(contentsOf: inserts[Int(rng.next() % UInt64(inserts.count))].unicodeScalars, at: at)
                }
                let source = String(String.UnicodeScalarView(mutated))
                do {
                    let statements = try JSSubset.parse(source)
                    let evaluator = JSSubset.Evaluator(globals: ["migrate": .native(JSSubset.Native("migrate") { _, _ in .undefined })]) { _, _, line in
                        throw JSSubset.Failure("constructors are not under test", line: line)
                    }
                    _ = try evaluator.run(statements, scope: JSSubset.Scope(parent: nil))
                    parsed += 1
                } catch is JSSubset.Failure {
                    failures += 1
                }
            }
        }
        #expect(parsed + failures == files.count * 40 && failures > 0 && parsed > 0)
    }
}

