import Fixtures
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// The dashboard's server side: static files under `/_/`, PocketBase's installer, and the dev endpoints its pages use.
@Suite struct DashboardServingTests {
    @Test func servesTheFilesAndRefusesEverythingElse() async throws {
        let storage = try await StateTests.fixtureStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let index = try await client.execute(uri: "/_/", method: .get)
            #expect(index.status == .ok)
            #expect(index.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: index.body).contains("<script type=\"module\" src=\"./app.js\">"))
            let js = try await client.execute(uri: "/_/views/collections.js", method: .get)
            #expect(js.status == .ok && js.headers[.contentType] == "text/javascript; charset=utf-8")
            let redirect = try await client.execute(uri: "/_", method: .get)
            #expect(redirect.status == .movedPermanently && redirect.headers[.location] == "/_/")
            for path in ["/_/../Package.swift", "/_/%2e%2e/Package.swift", "/_/views", "/_/.hidden.js", "/_/nope.js", "/_/app.swift"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .notFound, "\(path)")
            }
            // Like PocketBase's static handler: the files served are not logged, the failures are.
            try await Task.sleep(for: .milliseconds(400))
            let urls = try await storage.logs.pool.read { db in try String.fetchAll(db, sql: "SELECT json_extract(data, '$.url') FROM _logs") }
            #expect(!urls.contains("/_/") && !urls.contains("/_/views/collections.js") && !urls.contains("/_"))
            #expect(urls.contains("/_/nope.js"))
        }
    }

    @Test func installerTokenCreatesTheFirstSuperuserOnce() async throws {
        let storage = try await StateTests.fixtureStorage()
        // A superuser exists: no installer.
        #expect(try await storage.installerToken() == nil)
        try await storage.write { db in try db.execute(sql: "DELETE FROM _superusers") }
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let handed = try await client.execute(uri: "/_/installer", method: .get)
            #expect(handed.status == .ok)
            let token = try #require(try JSONValue.parse(Array(handed.body.readableBytesView))["token"]?.stringValue)
            let body = JSONValue.obj(["email": "first@example.com", "password": "first-password", "passwordConfirm": "first-password"]).encoded()
            let created = try await client.execute(
                uri: "/api/collections/_superusers/records", method: .post, headers: [.contentType: "application/json", .authorization: token],
                body: ByteBuffer(string: body))
            #expect(created.status == .ok)
            let emails = try await storage.read { db in try String.fetchAll(db, sql: "SELECT email FROM _superusers") }
            #expect(emails == ["first@example.com"], "the installer placeholder is deleted with the first superuser")
            let again = try await client.execute(
                uri: "/api/collections/_superusers/records", method: .post, headers: [.contentType: "application/json", .authorization: token],
                body: ByteBuffer(string: body))
            #expect(again.status == .unauthorized || again.status == .forbidden, "the token died with its placeholder")
            #expect(try await client.execute(uri: "/_/installer", method: .get).status == .noContent, "no first run pending")
        }
    }

    @Test func viewPreviewAndSchemaDiff() async throws {
        let storage = try await StateTests.fixtureStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            func post(_ path: String, _ body: JSONValue) async throws -> (HTTPResponse.Status, JSONValue) {
                let r = try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/json", .authorization: su], body: ByteBuffer(string: body.encoded()))
                return (r.status, try JSONValue.parse(Array(r.body.readableBytesView)))
            }
            let (ok, preview) = try await post("/api/sptfy-dev/view-preview", .obj(["viewQuery": "SELECT id, id_url, utm_view FROM random_short"]))
            #expect(ok == .ok)
            let names = preview["fields"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["id", "id_url", "utm_view"])
            #expect(storage.collections.allSatisfy { !$0.name.hasPrefix("_preview_") }, "nothing of the preview is kept")
            let (bad, error) = try await post("/api/sptfy-dev/view-preview", .obj(["viewQuery": "SELECT nope FROM random_short"]))
            #expect(bad == .badRequest && error["data"]?["viewQuery"] != nil)
            let current = SchemaDiff.export(storage.collections)
            let (same, none) = try await post("/api/sptfy-dev/schema-diff", .obj(["collections": .array(current)]))
            #expect(same == .ok && none["changes"] == .array([]))
            let (_, missing) = try await post("/api/sptfy-dev/schema-diff", .obj(["collections": .array(current.filter { $0["name"] != "analytics" })]))
            #expect(missing["changes"]?.arrayValue?.first?["text"] == "- analytics")
        }
    }
}
