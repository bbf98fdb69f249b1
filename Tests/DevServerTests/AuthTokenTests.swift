import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// The verified-token cache in front of jwt-kit: a token seen before is accepted without re-verifying its
/// signature only while the record's secret is the one that verified it, and never after it expires.
@Suite struct AuthTokenTests {
    static func superusers(_ client: some TestClientProtocol, _ token: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/collections/_superusers/records", method: .get, headers: [.authorization: token]).status
    }

    @Test func aKnownTokenDiesWithItsTokenKey() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let token = try await StateTests.superuser(client)
            #expect(try await Self.superusers(client, token) == .ok)
            #expect(VerifiedTokens.shared[token] != nil, "the first use verified and remembered the token")
            #expect(try await Self.superusers(client, token) == .ok)
            // A new tokenKey (what a password change does) makes the remembered secret wrong.
            try await storage.write { db in try db.execute(sql: "UPDATE _superusers SET tokenKey = tokenKey || 'x'") }
            #expect(try await Self.superusers(client, token) == .forbidden)
            // A different token whose claims were tampered with is still checked by jwt-kit (not in the cache).
            let parts = token.split(separator: ".")
            let forged = parts[0] + "." + parts[1] + "." + String(parts[2].reversed())
            #expect(try await Self.superusers(client, String(forged)) == .forbidden)
        }
    }

    @Test func aKnownTokenExpires() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try #require(storage.collection("_superusers"))
            let record = try #require(try await storage.read { db in try String.fetchOne(db, sql: "SELECT id FROM _superusers") })
            let found = try #require(try await storage.findRecord(su, id: record))
            let token = try await AuthToken.issue(for: found, duration: 2)
            #expect(try await Self.superusers(client, token) == .ok)
            try await Task.sleep(for: .milliseconds(3100))
            #expect(try await Self.superusers(client, token) == .forbidden)
        }
    }
}
