import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// The request log: the batched writer, the hooks' logger and the client address rules.
@Suite struct LogsTests {
    static func lines(_ store: LogStore) async throws -> [(level: Int, message: String, data: String)] {
        try await store.flush()
        return try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT level, message, data FROM _logs ORDER BY rowid").map { ($0["level"], $0["message"], $0["data"]) }
        }
    }

    @Test func theQueueIsBoundedAndDropsTheOldestLines() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LogStore(url: dir.appendingPathComponent("auxiliary.db"), maxQueued: 10)
        // No await between the adds: the scheduled flush cannot run, so exactly 5 lines overflow.
        for i in 0..<15 { store.add(LogEntry(level: 0, message: "line \(i)", data: JSONObject())) }
        #expect(store.droppedCount == 5)
        let written = try await Self.lines(store)
        #expect(written.map(\.message) == (5..<15).map { "line \($0)" })
    }

    @Test func settingsGateWhatIsKeptAndCleanUpOnChange() async throws {
        let storage = try await TestData.freshStorage()
        let store = storage.logs
        store.add(LogEntry(level: 0, message: "info", data: JSONObject()))
        store.add(LogEntry(level: 8, message: "error", data: JSONObject()))
        #expect(try await Self.lines(store).map(\.message) == ["info", "error"])
        // Raising minLevel drops the stored info line (PocketBase's settings-reload cleanup) and future ones.
        await store.apply(JSONObject([("logs", .obj(["maxDays": 5, "minLevel": 4]))]), cleanup: true)
        store.add(LogEntry(level: 0, message: "info 2", data: JSONObject()))
        store.add(LogEntry(level: 4, message: "warn", data: JSONObject()))
        #expect(try await Self.lines(store).map(\.message) == ["error", "warn"])
        await store.apply(JSONObject([("logs", .obj(["maxDays": 0]))]), cleanup: true)
        store.add(LogEntry(level: 8, message: "off", data: JSONObject()))
        #expect(try await Self.lines(store).isEmpty)
    }

    /// A huge `logs.maxDays` (accepted by PocketBase's validation) once meant a cutoff date the Int64 conversion in
    /// PBDate.format trapped on — a crash a superuser's settings PATCH could cause.
    @Test func extremeRetentionDoesNotTrap() async throws {
        let storage = try await TestData.freshStorage()
        await storage.logs.apply(JSONObject([("logs", .obj(["maxDays": 1e15]))]), cleanup: true)
        try await storage.logs.deleteOld()
        #expect(PBDate.format(Date(timeIntervalSince1970: -1e300)).hasSuffix("Z"))
        #expect(PBDate.format(Date(timeIntervalSince1970: .infinity)).hasSuffix("Z"))
    }

    @Test func theAppLoggerWritesLinesWithSortedMetadata() async throws {
        let storage = try await TestData.freshStorage()
        storage.logger.warning("Turnstile token missing", metadata: ["zeta": "1", "alpha": .stringConvertible(42)])
        let line = try #require(try await Self.lines(storage.logs).last)
        #expect(line.level == 4 && line.message == "Turnstile token missing")
        #expect(line.data == #"{"alpha":42,"zeta":"1"}"#)
    }

    @Test func requestsThroughTheRouterAreLoggedIncludingRoutingRefusals() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            _ = try await client.execute(uri: "/api/health", method: .get, headers: [.userAgent: "unit"])
            _ = try await client.execute(uri: "/api/health/", method: .get, headers: [.userAgent: "unit"])
        }
        let lines = try await Self.lines(storage.logs).filter { $0.data.contains(#""userAgent":"unit""#) }
        #expect(lines.map(\.message) == ["GET /api/health", "GET /api/health/"])
        #expect(lines.map(\.level) == [0, 8])
        #expect(lines[1].data.contains(#""error":"File not found.""#) && lines[1].data.contains(#""status":404"#))
    }

    @Test func devConsoleLinesLookLikePocketBases() {
        let request = LogEntry(
            level: 8, message: "GET /api/nope",
            data: JSONObject([("type", "request"), ("error", "File not found."), ("details", .obj(["data": .obj(["a": "b"]), "raw": "a: b."]))]))
        #expect(LogStore.consoleText(request) == "ERROR GET /api/nope\n└─ File not found.\n   └─ map[data:map[a:b] raw:a: b.]\n")
        let hook = LogEntry(level: 0, message: "Country Code detected", data: JSONObject([("ip", "1.2.3.4"), ("countryCode", "DE")]))
        #expect(LogStore.consoleText(hook) == "INFO Country Code detected\n└─ map[countryCode:DE ip:1.2.3.4]\n")
    }

    @Test func addressesParseLikeGosNetip() {
        #expect(ClientIP.expanded("203.0.113.7") == "203.0.113.7")
        #expect(ClientIP.expanded("::1") == "0000:0000:0000:0000:0000:0000:0000:0001")
        #expect(ClientIP.expanded("2001:db8::ff00:42:8329") == "2001:0db8:0000:0000:0000:ff00:0042:8329")
        for bad in ["", "not-an-ip", "1.2.3", "1.2.3.256", "01.2.3.4", String(repeating: "1", count: 100)] {
            #expect(ClientIP.expanded(bad) == nil, "\(bad)")
        }
    }

    @Test func trustedProxyHeadersPickTheRealIP() async throws {
        let storage = try await TestData.freshStorage()
        var settings = try await storage.settings()
        settings["trustedProxy"] = .obj(["headers": ["X-Real-IP", "X-Forwarded-For"], "useLeftmostIP": false])
        try await storage.saveSettings(settings)
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            let r = try await client.execute(
                uri: "/api/health", method: .get,
                headers: [.authorization: su, HTTPField.Name("X-Forwarded-For")!: "198.51.100.1, 2001:db8::1, junk"])
            let data = try JSONValue.parseStrict(String(buffer: r.body))["data"]
            #expect(data?["realIP"] == "2001:0db8:0000:0000:0000:0000:0000:0001")
            #expect(data?["possibleProxyHeader"] == "X-Forwarded-For")
        }
    }
}
