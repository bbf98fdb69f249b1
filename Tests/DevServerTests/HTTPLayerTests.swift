import DevServer
import Fixtures
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Raw requests where Go's net/http answers before PocketBase's handlers (values read off the reference binary):
/// sptfy-dev gives the same status line and body. With CONTRACT_BASE_URL set (CI: the reference PocketBase), each
/// case is also checked there, so the expectations cannot drift from the real server.
@Suite struct HTTPLayerTests {
    struct RawCase: Sendable {
        var name: String
        var bytes: [UInt8]
        var status: String
        var body: String?
    }

    /// Sends raw bytes and reads until the server closes (or 10 s pass).
    static func send(_ bytes: [UInt8], host: String, port: Int) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var received: [UInt8] = []
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(bytes: bytes))
                    do {
                        for try await chunk in inbound { received += chunk.readableBytesView }
                    } catch {}  // a reset after the answer (unread request bytes) ends the read like a close
                }
                return received
            }
            // Only a guard against a server that never answers: every case gets its answer and a close at once.
            // Generous because the reader and this sleep share the concurrency pool with the rest of the suite: in a
            // CI run (2 cores, the hostile-input and realtime-load tests beside it) a 10 s guard won the race.
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
    }

    static var cases: [RawCase] {
        let big = String(repeating: "a", count: 500 * 1024)
        let huge = String(repeating: "a", count: 1_100_000)
        return [
            RawCase(name: "garbage request line", bytes: Array("GARBAGE\r\n\r\n".utf8), status: "HTTP/1.1 400 Bad Request", body: "400 Bad Request"),
            RawCase(
                name: "no Host", bytes: Array("GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n".utf8),
                status: "HTTP/1.1 400 Bad Request: missing required Host header",
                body: "400 Bad Request: missing required Host header"),
            RawCase(
                name: "500 KiB header is served", bytes: Array("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\nConnection: close\r\n\r\n".utf8),
                status: "HTTP/1.1 200 OK", body: nil),
            RawCase(
                name: "headers over 1 MiB", bytes: Array("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: \(huge)\r\nConnection: close\r\n\r\n".utf8),
                status: "HTTP/1.1 431 Request Header Fields Too Large", body: "431 Request Header Fields Too Large"),
            RawCase(
                name: "percent-encoded collection", bytes: Array("GET /api/collections/view%4Cist/records?perPage=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8),
                status: "HTTP/1.1 200 OK", body: nil),
        ]
    }

    static func check(_ c: RawCase, host: String, port: Int) async throws {
        let reply = try await send(c.bytes, host: host, port: port)
        let text = String(decoding: reply, as: UTF8.self)
        let statusLine = text.components(separatedBy: "\r\n").first ?? ""
        #expect(statusLine == c.status, "\(c.name) on \(port): \(text.prefix(200))")
        if let body = c.body {
            let payload = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            #expect(payload == body, "\(c.name) on \(port): body \(payload.prefix(200))")
            #expect(text.lowercased().contains("content-type: text/plain; charset=utf-8"), "\(c.name): Go's plain text")
        }
    }

    @Test func goAnswersOnTheSocket() async throws {
        let server = try await DevServer.start(fixtures: FixtureOptions(scale: 0))
        guard let url = URL(string: server.baseURL), let port = url.port else { throw HTTPLayerError() }
        for c in Self.cases { try await Self.check(c, host: "127.0.0.1", port: port) }
        await server.stop()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONTRACT_BASE_URL"] != nil))
    func theReferenceAnswersTheSame() async throws {
        guard let url = URL(string: ProcessInfo.processInfo.environment["CONTRACT_BASE_URL"] ?? ""), let port = url.port else { throw HTTPLayerError() }
        for c in Self.cases { try await Self.check(c, host: url.host ?? "127.0.0.1", port: port) }
    }

    struct HTTPLayerError: Error {}
}
