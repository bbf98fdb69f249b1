import Foundation
import NIOConcurrencyHelpers

/// PocketBase's rate limiter store: one fixed window per limiter id and client address. The parsed rules and all
/// windows are replaced whenever the settings are saved (PocketBase drops its limiters on every settings reload).
///
/// Memory is bounded: a window whose duration has passed since its last allowed request is equivalent to no window
/// (the next request refills it), so such windows are dropped; when `maxClients` windows are live anyway, the least
/// recently used tenth is evicted (those clients start afresh — the price of not growing without bound).
public final class RateLimiter: Sendable {
    struct Window {
        var available: Int
        var lastConsume: Int64
        var duration: Int64
    }

    struct State {
        var config = RateLimits(enabled: false, rules: [])
        /// The `rateLimits` JSON the config was parsed from, to tell real changes from reloads with equal settings.
        var source: JSONValue?
        var windows: [WindowKey: Window] = [:]
    }

    struct WindowKey: Hashable {
        var limiter: String
        var client: String
    }

    let maxClients: Int
    private let state = NIOLockedValueBox(State())

    public init(maxClients: Int = 100_000) {
        self.maxClients = Swift.max(maxClients, 10)
    }

    /// The rules in force (cheap: no parsing per request).
    public var config: RateLimits { state.withLockedValue { $0.config } }

    /// Settings were saved: new rules, every window dropped.
    func reset(_ settings: JSONObject) {
        let source = settings["rateLimits"]
        state.withLockedValue { $0 = State(config: RateLimits(settings: settings), source: source) }
    }

    /// Settings were (re)loaded from the database: only a changed `rateLimits` section resets the windows.
    func load(_ settings: JSONObject) {
        let source = settings["rateLimits"]
        state.withLockedValue { s in
            if s.source != source || s.source == nil { s = State(config: RateLimits(settings: settings), source: source) }
        }
    }

    /// Go's `fixedWindow.consume`: a window refills when `duration` seconds have passed since the last allowed
    /// request; an allowed request takes one token and restarts that clock.
    public func isAllowed(limiter: String, client: String, rule: RateLimitRule, now: Int64 = Int64(Date().timeIntervalSince1970)) -> Bool {
        let key = WindowKey(limiter: limiter, client: client)
        let duration = Int64(rule.duration)
        return state.withLockedValue { s in
            if s.windows[key] == nil && s.windows.count >= maxClients { Self.evict(&s.windows, now: now, keep: maxClients - maxClients / 10) }
            var w = s.windows[key] ?? Window(available: 0, lastConsume: 0, duration: duration)
            if now &- w.lastConsume >= w.duration { w.available = rule.maxRequests }
            guard w.available > 0 else {
                s.windows[key] = w
                return false
            }
            w.available -= 1
            w.lastConsume = now
            s.windows[key] = w
            return true
        }
    }

    /// Drops windows that have run out (lossless), then, if still more than `keep`, the least recently used.
    static func evict(_ windows: inout [WindowKey: Window], now: Int64, keep: Int) {
        windows = windows.filter { now &- $0.value.lastConsume < $0.value.duration }
        guard windows.count > keep else { return }
        let oldest = windows.sorted { $0.value.lastConsume < $1.value.lastConsume }.prefix(windows.count - keep)
        for (key, _) in oldest { windows[key] = nil }
    }

    var windowCount: Int { state.withLockedValue { $0.windows.count } }
}
