import Foundation
import Logging

/// `$app.logger()`: a swift-log handler writing to `_logs` (metadata becomes the line's `data`), so hooks' log
/// lines show in the dashboard's Logs next to the requests, as they do in PocketBase.
public struct LogStoreHandler: LogHandler {
    let store: LogStore
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(store: LogStore) {
        self.store = store
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String, function: String,
        line: UInt
    ) {
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        var data = JSONObject()
        for (key, value) in merged { data[key] = Self.json(value) }
        store.add(LogEntry(level: Self.slogLevel(level), message: message.description, data: data))
    }

    /// Go's slog levels: debug -4, info 0, warn 4, error 8.
    static func slogLevel(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: -4
        case .info, .notice: 0
        case .warning: 4
        case .error, .critical: 8
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let s): .string(s)
        case .stringConvertible(let c):
            if let n = c as? any BinaryInteger { .number(Double(n)) } else if let d = c as? Double { .number(d) } else if let b = c as? Bool {
                .bool(b)
            } else { .string(c.description) }
        case .array(let a): .array(a.map(json))
        case .dictionary(let d): .object(JSONObject(d.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }
}

extension Storage {
    /// The app logger (`$app.logger()`): lines land in `_logs`.
    public var logger: Logger {
        let store = logs
        return Logger(label: "pocketbase.app") { _ in LogStoreHandler(store: store) }
    }
}
