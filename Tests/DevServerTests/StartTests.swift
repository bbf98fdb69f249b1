import AsyncHTTPClient
import Fixtures
import Foundation
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// `DevServer.start`: one call per test, each with its own server and its own copy of the fixture state.
@Suite struct StartTests {
    func get(_ url: String, timeout: TimeAmount = .seconds(10)) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: url)
        // No pooled keep-alive connection may outlive the server under test.
        request.headers.add(name: "Connection", value: "close")
        let r = try await HTTPClient.shared.execute(request, timeout: timeout)
        return (Int(r.status.code), try JSONValue.parse(Array(try await r.body.collect(upTo: 1 << 20).readableBytesView)))
    }

    @Test func serversArePrivateAndStop() async throws {
        async let a = DevServer.start(fixtures: FixtureOptions(seed: 2, scale: 0))
        async let b = DevServer.start(fixtures: FixtureOptions(seed: 2, scale: 0))
        let (one, two) = try await (a, b)
        #expect(one.baseURL != two.baseURL && one.baseURL.hasPrefix("http://127.0.0.1:"))
        let path = "/api/collections/viewList/records?filter=id_url%3D'\(NamedFixtures.guestLink.slug)'"
        for server in [one, two] {
            let (status, body) = try await get(server.baseURL + path)
            #expect(status == 200 && body["totalItems"] == .number(1))
        }
        try await one.storage.write { db in try db.execute(sql: "DELETE FROM random_short WHERE id = ?", arguments: [NamedFixtures.guestLink.id]) }
        #expect(try await get(one.baseURL + path).1["totalItems"] == .number(0))
        #expect(try await get(two.baseURL + path).1["totalItems"] == .number(1), "the other server has its own copy")
        await one.stop()
        await two.stop()
        // (AsyncHTTPClient retries refused connections until the deadline, hence the short one)
        await #expect(throws: (any Error).self) { try await get(one.baseURL + "/api/health", timeout: .seconds(1)) }
    }
}
