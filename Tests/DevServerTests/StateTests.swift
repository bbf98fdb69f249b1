import Fixtures
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// Reset and snapshots: exact restores, and requests in flight during a reset all complete cleanly.
@Suite struct StateTests {
    static func fixtureStorage() async throws -> Storage {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        return try await DevServer.prepare(DevServerConfiguration(dataDir: dir, fixtures: FixtureOptions(seed: 1, scale: 0))).0
    }

    static func fingerprint(_ storage: Storage) async throws -> [String] {
        try await storage.read { db in
            try ["users", "random_short", "analytics", "_externalAuths"].map { "\($0)=\(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM `\($0)`") ?? -1)" }
                + [try String.fetchOne(db, sql: "SELECT group_concat(id || ':' || utm_view, ',') FROM (SELECT id, utm_view FROM random_short ORDER BY id)") ?? ""]
        }
    }

    static func superuser(_ client: some TestClientProtocol) async throws -> String {
        let r = try await client.execute(
            uri: "/api/collections/_superusers/auth-with-password", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: JSONValue.obj([
                "identity": .string(DevServerConfiguration.defaultSuperuserEmail), "password": .string(DevServerConfiguration.defaultSuperuserPassword),
            ]).encoded()))
        return try JSONValue.parse(Array(r.body.readableBytesView))["token"]?.stringValue ?? ""
    }

    @Test func resetWhileRequestsAreInFlight() async throws {
        let storage = try await Self.fixtureStorage()
        let baseline = try await Self.fingerprint(storage)
        let link = NamedFixtures.aliceTrack.id
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await Self.superuser(client)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        switch i % 20 {
                        case 0: return try await client.execute(uri: "/api/sptfy-dev/reset", method: .post, headers: [.authorization: su]).status.code
                        case 1...5:
                            return try await client.execute(
                                uri: "/api/collections/analytics/records", method: .post, headers: [.contentType: "application/json"],
                                body: ByteBuffer(string: #"{"author":"\#(link)","utm_userAgent":"ua","utm_country":"ID"}"#)).status.code
                        default:
                            return try await client.execute(
                                uri: "/api/collections/random_short/records/\(link)", method: .patch, headers: [.contentType: "application/json"],
                                body: ByteBuffer(string: #"{"utm_view+":1}"#)).status.code
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 204 }, "every request completed: \(statuses.sorted())")
            let integrity = try await storage.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
            #expect(integrity == "ok")
            // whatever ran after the last reset is there; one more reset gives the exact fixture state
            #expect(try await client.execute(uri: "/api/sptfy-dev/reset", method: .post, headers: [.authorization: su]).status == .noContent)
        }
        #expect(try await Self.fingerprint(storage) == baseline)
    }

    @Test func namedSnapshotsAndAccess() async throws {
        let storage = try await Self.fixtureStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await Self.superuser(client)
            #expect(try await client.execute(uri: "/api/sptfy-dev/reset", method: .post).status == .unauthorized)
            let user = try await client.execute(
                uri: "/api/collections/users/auth-with-password", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"identity":"sptfy_alice","password":"alice-password"}"#))
            let userToken = try JSONValue.parse(Array(user.body.readableBytesView))["token"]?.stringValue ?? ""
            #expect(try await client.execute(uri: "/api/sptfy-dev/reset", method: .post, headers: [.authorization: userToken]).status == .forbidden)

            let deleted = try await client.execute(
                uri: "/api/collections/random_short/records/\(NamedFixtures.guestLink.id)", method: .delete, headers: [.authorization: su])
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/api/sptfy-dev/snapshots/without-guest", method: .post, headers: [.authorization: su]).status == .noContent)
            #expect(try await client.execute(uri: "/api/sptfy-dev/snapshots/bad%20name", method: .post, headers: [.authorization: su]).status == .badRequest)
            let names = try await client.execute(uri: "/api/sptfy-dev/snapshots", method: .get, headers: [.authorization: su])
            #expect(String(buffer: names.body) == #"["initial","without-guest"]"# + "\n")

            func guestLinkStatus() async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/collections/random_short/records/\(NamedFixtures.guestLink.id)", method: .get, headers: [.authorization: su]).status
            }
            #expect(try await client.execute(uri: "/api/sptfy-dev/reset", method: .post, headers: [.authorization: su]).status == .noContent)
            #expect(try await guestLinkStatus() == .ok)
            #expect(
                try await client.execute(uri: "/api/sptfy-dev/snapshots/without-guest/restore", method: .post, headers: [.authorization: su]).status
                    == .noContent)
            #expect(try await guestLinkStatus() == .notFound)
            #expect(try await client.execute(uri: "/api/sptfy-dev/snapshots/nope/restore", method: .post, headers: [.authorization: su]).status == .notFound)
            // files come back with their snapshot
            let avatar = "/api/files/_pb_users_auth_/\(NamedFixtures.carol.id)/\(NamedFixtures.carolAvatar)"
            #expect(try await client.execute(uri: avatar, method: .get).status == .ok)
        }
    }
}
