import Foundation
import GRDB
import NIOConcurrencyHelpers

/// The realtime hub: connected clients, and record changes turned into per-subscriber messages. Changes are
/// queued when their transaction commits and processed in order by one task, so writers never wait for
/// subscribers, and each client sees a record's events in the order they were committed.
public final class RealtimeBroker: Sendable {
    public enum Action: String, Sendable { case create, update, delete }

    /// A committed change and the subscribers its rules admitted (decided inside the transaction: a delete before
    /// the row goes, a save right after it is written).
    struct Change: Sendable {
        let action: Action
        let record: Record
        let deliveries: [Delivery]
    }

    struct Delivery: Sendable {
        let client: RealtimeClient
        let subscription: String
        let options: SubscriptionOptions
    }

    private let clients = NIOLockedValueBox<[String: RealtimeClient]>([:])
    private let changes: AsyncStream<Change>.Continuation
    /// PocketBase drops clients idle this long (5 minutes); harnesses that run streams to completion shorten it.
    public var idleTimeout: Duration {
        get { idle.withLockedValue { $0 } }
        set { idle.withLockedValue { $0 = newValue } }
    }
    private let idle: NIOLockedValueBox<Duration>
    let maxClients: Int
    let maxQueuedPerClient: Int
    private let droppedChanges = NIOLockedValueBox(0)

    init(idleTimeout: Duration = .seconds(300), maxClients: Int = 100_000, maxQueuedPerClient: Int = 1_000, maxPendingChanges: Int = 100_000) {
        idle = NIOLockedValueBox(idleTimeout)
        self.maxClients = maxClients
        self.maxQueuedPerClient = maxQueuedPerClient
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingOldest(maxPendingChanges))
        changes = continuation
        processor = NIOLockedValueBox(stream)
    }

    deinit {
        changes.finish()
        for c in clients.withLockedValue({ Array($0.values) }) { c.close() }
    }

    /// The change stream, handed to the processing task when the first client connects.
    private let processor: NIOLockedValueBox<AsyncStream<Change>?>

    public var clientCount: Int { clients.withLockedValue { $0.count } }
    var hasClients: Bool { clients.withLockedValue { !$0.isEmpty } }
    var allClients: [RealtimeClient] { clients.withLockedValue { Array($0.values) } }

    /// A new client (40 random alphanumerics, like PocketBase's); nil when the server holds `maxClients` already.
    func register(storage: Storage) -> RealtimeClient? {
        let client = RealtimeClient(id: Identifiers.random(40, alphabet: Identifiers.alphanumeric), maxQueued: maxQueuedPerClient)
        let added = clients.withLockedValue { all -> Bool in
            guard all.count < maxClients else { return false }
            all[client.id] = client
            return true
        }
        guard added else { return nil }
        startProcessing(storage: storage)
        return client
    }

    func unregister(_ client: RealtimeClient) {
        client.close()
        clients.withLockedValue { _ = $0.removeValue(forKey: client.id) }
    }

    public func client(_ id: String) -> RealtimeClient? { clients.withLockedValue { $0[id] } }

    /// Ends every stream (a restore replaces the data, as PocketBase's restart would); the SDK reconnects.
    public func closeAll() {
        let all = clients.withLockedValue { all -> [RealtimeClient] in
            defer { all = [:] }
            return Array(all.values)
        }
        for c in all { c.close() }
    }

    /// The processing task starts once, with the first client; it holds the broker weakly and ends with it.
    private func startProcessing(storage: Storage) {
        guard let stream = processor.withLockedValue({ s -> AsyncStream<Change>? in
            defer { s = nil }
            return s
        }) else { return }
        Task { [weak self, weak storage] in
            for await change in stream {
                guard let self, let storage else { return }
                await self.process(change, storage: storage)
            }
        }
    }

    func enqueue(_ change: Change) {
        if case .dropped = changes.yield(change) { droppedChanges.withLockedValue { $0 += 1 } }
    }

    /// Changes lost because the processing queue was full (a flood of writes with many subscribers).
    public var droppedChangeCount: Int { droppedChanges.withLockedValue { $0 } }
}
