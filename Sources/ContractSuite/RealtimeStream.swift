import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// One server-sent event as it came off the wire.
public struct SSEEvent: Sendable, Equatable {
    public var id: String
    public var event: String
    public var data: String
}

/// A live `GET /api/realtime` stream, read in the background: events accumulate until the test looks at them.
public final class RealtimeStream: Sendable {
    public let clientId: String
    public let headers: [(String, String)]
    private let events = NIOLockedValueBox<[SSEEvent]>([])
    private let ended = NIOLockedValueBox(false)
    private let reader: NIOLockedValueBox<Task<Void, Never>?> = NIOLockedValueBox(nil)

    /// Enough connections for many subscribers at once (the shared client pools a handful per host).
    public static let http = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 4096)))

    struct NoConnectEvent: Error {}

    private init(clientId: String, headers: [(String, String)]) {
        self.clientId = clientId
        self.headers = headers
    }

    /// Connects and waits for PB_CONNECT; the stream's first event must be it.
    /// `paused`: read PB_CONNECT, then never read again (a slow consumer: the socket backs up).
    public static func connect(baseURL: String, timeout: Duration = .seconds(10), paused: Bool = false) async throws -> (RealtimeStream, SSEEvent) {
        let request = HTTPClientRequest(url: baseURL + "/api/realtime")
        let response = try await http.execute(request, timeout: .seconds(3600))
        var iterator = response.body.makeAsyncIterator()
        var buffer = ""
        var first: SSEEvent?
        let deadline = ContinuousClock.now + timeout
        while first == nil, ContinuousClock.now < deadline, let chunk = try await iterator.next() {
            buffer += String(buffer: chunk)
            let (parsed, rest) = parse(buffer)
            buffer = rest
            first = parsed.first
            if parsed.count > 1 { throw NoConnectEvent() }
        }
        guard let first, first.event == "PB_CONNECT" else { throw NoConnectEvent() }
        let stream = RealtimeStream(clientId: first.id, headers: response.headers.map { ($0.name, $0.value) })
        let pending = buffer
        if paused {
            let task = Task { [iterator] in
                // Holds the response (and so the connection) open without reading it.
                _ = iterator
                try? await Task.sleep(for: .seconds(3600))
            }
            stream.reader.withLockedValue { $0 = task }
            return (stream, first)
        }
        let task = Task { [iterator] in
            var iterator = iterator
            var buffer = pending
            do {
                while let chunk = try await iterator.next() {
                    buffer += String(buffer: chunk)
                    let (parsed, rest) = parse(buffer)
                    buffer = rest
                    if !parsed.isEmpty { stream.events.withLockedValue { $0 += parsed } }
                }
            } catch {}
            stream.ended.withLockedValue { $0 = true }
        }
        stream.reader.withLockedValue { $0 = task }
        return (stream, first)
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// Splits complete `\n\n`-terminated events off the front of `text`.
    static func parse(_ text: String) -> ([SSEEvent], String) {
        var out: [SSEEvent] = []
        var rest = Substring(text)
        while let end = rest.range(of: "\n\n") {
            var e = SSEEvent(id: "", event: "", data: "")
            for line in rest[..<end.lowerBound].split(separator: "\n") {
                if line.hasPrefix("id:") { e.id = String(line.dropFirst(3)) }
                else if line.hasPrefix("event:") { e.event = String(line.dropFirst(6)) }
                else if line.hasPrefix("data:") { e.data = String(line.dropFirst(5)) }
            }
            out.append(e)
            rest = rest[end.upperBound...]
        }
        return (out, String(rest))
    }

    public var received: [SSEEvent] { events.withLockedValue { $0 } }
    public var hasEnded: Bool { ended.withLockedValue { $0 } }

    /// Waits until at least `count` events arrived (or the timeout), then returns them all.
    public func waitFor(_ count: Int, timeout: Duration = .seconds(10)) async -> [SSEEvent] {
        let deadline = ContinuousClock.now + timeout
        while received.count < count && ContinuousClock.now < deadline && !hasEnded {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return received
    }

    public func close() { reader.withLockedValue { $0?.cancel() } }

    deinit { reader.withLockedValue { $0?.cancel() } }
}
