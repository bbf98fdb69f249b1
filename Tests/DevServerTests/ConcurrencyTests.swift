import Fixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// Many authenticated requests at once. Every request resolves its token with a database read; done
/// synchronously on Swift's (core-sized) concurrency pool those reads deadlocked the server at 8 in flight.
@Suite struct ConcurrencyTests {
    @Test(.timeLimit(.minutes(5))) func manyAuthenticatedRequestsAtOnce() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 4, scale: 0))
        try await DevServer.buildApplication(storage: storage, port: 0).test(.live) { client in
            let su = try await StateTests.superuser(client)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<96 {
                    group.addTask {
                        switch i % 3 {
                        case 0:
                            return Int(try await client.execute(
                                uri: "/api/collections/users/records/\(NamedFixtures.alice.id)", method: .get, headers: [.authorization: su]).status.code)
                        case 1:
                            // an existing user again: a unique-constraint failure inside the write
                            let body = JSONValue.obj([
                                "id": .string(NamedFixtures.alice.id), "username": .string(NamedFixtures.alice.username), "password": "password123",
                                "passwordConfirm": "password123",
                            ])
                            return Int(try await client.execute(
                                uri: "/api/collections/users/records", method: .post, headers: [.authorization: su, .contentType: "application/json"],
                                body: ByteBuffer(string: body.encoded())).status.code)
                        default:
                            return Int(try await client.execute(
                                uri: "/api/collections/random_short/records/\(NamedFixtures.aliceTrack.id)", method: .patch,
                                headers: [.authorization: su, .contentType: "application/json"], body: ByteBuffer(string: #"{"utm_view+":1}"#)).status.code)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [200: 64, 400: 32])
            let link = try await storage.findRecord(try #require(storage.collection("random_short")), id: NamedFixtures.aliceTrack.id)
            #expect(link?["utm_view"] == .number(Double(NamedFixtures.aliceTrack.clicks + 32)))
        }
    }
}
