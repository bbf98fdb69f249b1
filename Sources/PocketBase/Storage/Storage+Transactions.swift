import Foundation
import GRDB
import NIOConcurrencyHelpers

extension Storage {
    /// The transaction a batch request runs in, when the current task is inside one (see `inTransaction`).
    @TaskLocal static var currentTransaction: OpenTransaction?

    /// Reads from the database; inside `inTransaction` on the transaction's connection, so a batch's later
    /// requests see what its earlier ones wrote (PocketBase runs them all on one transactional app).
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let tx = Self.currentTransaction, tx.storage === self { return try await tx.run(body) }
        return try await pool.read(body)
    }

    /// `read` for a body that runs one statement: without GRDB's BEGIN/COMMIT around it (a single SELECT is its
    /// own snapshot), which is a third of a one-row lookup's database work.
    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let tx = Self.currentTransaction, tx.storage === self { return try await tx.run(body) }
        return try await pool.unsafeRead(body)
    }

    /// Writes in a transaction of its own, or inside the current `inTransaction` (in a savepoint, so a failed
    /// write leaves nothing behind in it either).
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let tx = Self.currentTransaction, tx.storage === self {
            return try await tx.run { db in
                var result: T?
                try db.inSavepoint {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
        return try await pool.write(body)
    }

    /// Runs `body` in one write transaction that spans its awaits (hooks, HTTP calls): every `read`/`write` of this
    /// storage made by the task goes through it. Committed when `body` returns in time, rolled back when it throws
    /// or `timeout` passes first (then `TransactionTimeout`; what `body` still tries to do is refused).
    /// Other writers wait meanwhile, as they would for PocketBase's transaction.
    func inTransaction<T: Sendable>(timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let tx = try await OpenTransaction.begin(self)
        let work = Task { try await Self.$currentTransaction.withValue(tx) { try await body() } }
        // Whichever ends first, the work or the clock, decides (the work may not stop at once when cancelled: a hook
        // waiting on the network; what it still sends to the transaction is refused).
        let first = FirstResult<T>()
        let timer = Task {
            try await Task.sleep(for: timeout)
            first.offer(.failure(TransactionTimeout()))
        }
        Task {
            do { first.offer(.success(try await work.value)) } catch { first.offer(.failure(error)) }
        }
        let outcome = await first.value()
        timer.cancel()
        switch outcome {
        case .success(let value):
            try await tx.finish(commit: true)
            return value
        case .failure(let error):
            work.cancel()
            try? await tx.finish(commit: false)
            throw error
        }
    }

    struct TransactionTimeout: Error {}

    /// The first result offered, for one waiter that may come before or after it.
    final class FirstResult<T: Sendable>: Sendable {
        private let state = NIOLockedValueBox<(result: Result<T, any Error>?, waiter: CheckedContinuation<Result<T, any Error>, Never>?)>((nil, nil))

        func offer(_ result: Result<T, any Error>) {
            state.withLockedValue { s in
                guard case .none = s.result else { return }
                s.result = result
                s.waiter?.resume(returning: result)
                s.waiter = nil
            }
        }

        func value() async -> Result<T, any Error> {
            await withCheckedContinuation { continuation in
                state.withLockedValue { s in
                    if let result = s.result { continuation.resume(returning: result) } else { s.waiter = continuation }
                }
            }
        }
    }

    /// A write transaction held open by a dedicated thread that runs the jobs it is given on the writer connection
    /// (GRDB's closures are synchronous; the batch in between is not).
    final class OpenTransaction: @unchecked Sendable {
        let storage: Storage
        private let condition = NSCondition()
        private var jobs: [(Database) -> Void] = []
        private var outcome: Bool?  // commit?
        private var closed = false
        private var finished: CheckedContinuation<Void, any Error>?

        private init(storage: Storage) { self.storage = storage }

        static func begin(_ storage: Storage) async throws -> OpenTransaction {
            let tx = OpenTransaction(storage: storage)
            try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
                let thread = Thread { tx.serve(started: started) }
                thread.name = "sptfy-dev transaction"
                thread.start()
            }
            return tx
        }

        private func serve(started: CheckedContinuation<Void, any Error>) {
            var didStart = false
            do {
                try storage.pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        didStart = true
                        started.resume()
                        while true {
                            condition.lock()
                            while jobs.isEmpty && outcome == nil { condition.wait() }
                            let pending = jobs
                            jobs = []
                            let commit = outcome
                            // Jobs still arriving after the end (a timed-out batch's leftovers) are refused in `run`.
                            if commit != nil && pending.isEmpty { closed = true }
                            condition.unlock()
                            for job in pending { job(db) }
                            if let commit, pending.isEmpty { return commit ? .commit : .rollback }
                        }
                    }
                }
                take()?.resume()
            } catch {
                if didStart { take()?.resume(throwing: error) } else { started.resume(throwing: error) }
            }
        }

        private func take() -> CheckedContinuation<Void, any Error>? {
            condition.lock()
            defer { condition.unlock() }
            let c = finished
            finished = nil
            return c
        }

        func run<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                guard !closed else {
                    condition.unlock()
                    return continuation.resume(throwing: CancellationError())
                }
                jobs.append { db in continuation.resume(with: Result { try body(db) }) }
                condition.signal()
                condition.unlock()
            }
        }

        func finish(commit: Bool) async throws {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                finished = continuation
                outcome = commit
                condition.signal()
                condition.unlock()
            }
        }
    }
}
