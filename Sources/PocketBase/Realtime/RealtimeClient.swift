import Foundation
import NIOConcurrencyHelpers

/// One SSE connection: its id (the `id:` line of every message), the auth the last subscribe request carried,
/// its subscription strings and a bounded outbound queue. A client that falls `maxQueued` messages behind is
/// dropped (its stream ends, the SDK reconnects) instead of growing memory or slowing anyone else.
public final class RealtimeClient: Sendable {
    public let id: String
    let messages: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let state: NIOLockedValueBox<State>
    let maxQueued: Int

    struct State {
        var auth: Record?
        /// Insertion-ordered and unique (PocketBase keys them in a map).
        var subscriptions: [String] = []
        var queued = 0
        var closed = false
        var lastActivity = ContinuousClock.now
    }

    init(id: String, maxQueued: Int) {
        self.id = id
        self.maxQueued = maxQueued
        (messages, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        state = NIOLockedValueBox(State())
    }

    public var auth: Record? { state.withLockedValue { $0.auth } }
    public var subscriptions: [String] { state.withLockedValue { $0.subscriptions } }
    var isClosed: Bool { state.withLockedValue { $0.closed } }
    var lastActivity: ContinuousClock.Instant { state.withLockedValue { $0.lastActivity } }

    func setAuth(_ auth: Record?) { state.withLockedValue { $0.auth = auth } }

    /// Replaces the whole set (PocketBase's unsubscribe-all then subscribe); empty strings are skipped.
    func replaceSubscriptions(_ list: [String]) {
        var seen = Set<String>()
        let unique = list.filter { !$0.isEmpty && seen.insert($0).inserted }
        state.withLockedValue { $0.subscriptions = unique }
    }

    func removeSubscription(_ name: String) { state.withLockedValue { $0.subscriptions.removeAll { $0 == name } } }

    /// Queues one SSE message; false when the client is gone or was dropped for falling behind.
    @discardableResult
    func send(event: String, data: String) -> Bool {
        let frame = "id:\(id)\nevent:\(event)\ndata:\(data)\n\n"
        let accepted = state.withLockedValue { s -> Bool in
            guard !s.closed else { return false }
            guard s.queued < maxQueued else {
                s.closed = true
                return false
            }
            s.queued += 1
            return true
        }
        guard accepted else {
            continuation.finish()
            return false
        }
        continuation.yield(frame)
        return true
    }

    /// The writer took one message off the queue.
    func delivered() {
        state.withLockedValue {
            $0.queued -= 1
            $0.lastActivity = .now
        }
    }

    /// Ends the stream (idle timeout, overflow, shutdown).
    func close() {
        state.withLockedValue { $0.closed = true }
        continuation.finish()
    }
}
