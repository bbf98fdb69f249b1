import Foundation
import TestSupport
import Logging
import PBJSON
import Synchronization
import Testing
import WSClient

/// A headless Chromium driven over the DevTools protocol (a WebSocket, swift-websocket's client): navigate, evaluate,
/// wait for conditions, screenshot. What `--dump-dom` cannot do: interactive flows across several page states.
final class CDPBrowser: Sendable {
    struct CDPError: Error, CustomStringConvertible {
        var description: String
    }

    private let process: ChildProcess
    private let profile: URL
    private let outgoing: AsyncStream<String>.Continuation
    /// Calls waiting for their answer, and the events seen, shared with the connection's task.
    final class State: Sendable {
        let pending = Mutex<[Int: CheckedContinuation<JSONValue, any Error>]>([:])
        let events = Mutex<[String: [JSONValue]]>([:])
        let nextID = Atomic<Int>(1)
        /// Why the connection ended (calls then fail at once instead of waiting forever).
        let closed = Mutex<String?>(nil)

        func fail(_ reason: String) {
            closed.withLock { $0 = reason }
            for waiter in pending.withLock({ p in defer { p.removeAll() }; return Array(p.values) }) {
                waiter.resume(throwing: CDPError(description: reason))
            }
        }
    }

    private let state: State
    private let connection: Task<Void, any Error>

    private init(process: ChildProcess, profile: URL, webSocketURL: String) {
        self.process = process
        self.profile = profile
        let (stream, continuation) = AsyncStream<String>.makeStream()
        self.outgoing = continuation
        let state = State()
        self.state = state
        var logger = Logger(label: "cdp")
        logger.logLevel = .error
        connection = Task {
            defer { state.fail("the DevTools connection closed") }
            do {
            try await WebSocketClient.connect(url: webSocketURL, configuration: .init(maxFrameSize: 1 << 26), logger: logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for await text in stream { try await outbound.write(.text(text)) } }
                    for try await message in inbound.messages(maxSize: 1 << 26) {
                        guard case .text(let text) = message, let json = try? JSONValue.parse(text) else { continue }
                        if let id = json["id"]?.numberValue.map({ Int($0) }) {
                            let waiter = state.pending.withLock { $0.removeValue(forKey: id) }
                            if let error = json["error"] {
                                waiter?.resume(throwing: CDPError(description: error.encoded()))
                            } else {
                                waiter?.resume(returning: json["result"] ?? .null)
                            }
                        } else if let method = json["method"]?.stringValue {
                            state.events.withLock { $0[method, default: []].append(json["params"] ?? .null) }
                        }
                    }
                    group.cancelAll()
                }
            }
            } catch {
                state.fail("the DevTools connection failed: \(error)")
                throw error
            }
        }
    }

    /// Starts Chromium with a throwaway profile and connects to its first page.
    static func launch() async throws -> CDPBrowser {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-cdp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let process = try ChildProcess(
            try #require(Chromium.binary, "chromium is not installed (apt-get install chromium)"),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--user-data-dir=\(profile.path)", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "about:blank",
            ])
        // Chromium writes the port it chose (and the browser target's path) into the profile.
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        var lines: [Substring] = []
        for _ in 0..<200 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) { lines = text.split(separator: "\n") }
            if lines.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard lines.count >= 2 else {
            process.terminate()
            throw CDPError(description: "chromium did not open its DevTools port")
        }
        let browser = CDPBrowser(process: process, profile: profile, webSocketURL: "ws://127.0.0.1:\(lines[0])\(lines[1])")
        return browser
    }

    /// One protocol call (`sessionId`: a page session from `newPage`).
    @discardableResult
    func call(_ method: String, _ params: KeyValuePairs<String, JSONValue> = [:], session: String? = nil) async throws -> JSONValue {
        let id = state.nextID.add(1, ordering: .relaxed).oldValue
        var message = JSONObject([("id", .number(Double(id))), ("method", .string(method)), ("params", JSONValue.obj(params))])
        if let session { message["sessionId"] = .string(session) }
        let text = JSONValue.object(message).encoded()
        return try await withCheckedThrowingContinuation { waiter in
            state.pending.withLock { $0[id] = waiter }
            outgoing.yield(text)
        }
    }

    func events(_ method: String) -> [JSONValue] { state.events.withLock { $0[method] ?? [] } }

    /// A new tab with its own session, viewport set.
    func newPage(width: Int = 1280, height: Int = 900) async throws -> CDPPage {
        let target = try await call("Target.createTarget", ["url": .string("about:blank")])
        let targetID = try #require(target["targetId"]?.stringValue)
        let attached = try await call("Target.attachToTarget", ["targetId": .string(targetID), "flatten": .bool(true)])
        let page = CDPPage(browser: self, session: try #require(attached["sessionId"]?.stringValue))
        try await page.call("Page.enable")
        try await page.call("Runtime.enable")
        try await page.setViewport(width: width, height: height)
        return page
    }

    func close() async {
        outgoing.finish()
        connection.cancel()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }
}

/// One tab.
struct CDPPage: Sendable {
    let browser: CDPBrowser
    let session: String

    @discardableResult
    func call(_ method: String, _ params: KeyValuePairs<String, JSONValue> = [:]) async throws -> JSONValue {
        try await browser.call(method, params, session: session)
    }

    func setViewport(width: Int, height: Int) async throws {
        try await call(
            "Emulation.setDeviceMetricsOverride",
            ["width": .number(Double(width)), "height": .number(Double(height)), "deviceScaleFactor": .number(1), "mobile": .bool(width < 500)])
    }

    func goto(_ url: String) async throws {
        try await call("Page.navigate", ["url": .string(url)])
    }

    /// Evaluates an expression (promises awaited) and returns its JSON value; a thrown exception fails the call.
    @discardableResult
    func eval(_ expression: String) async throws -> JSONValue {
        let result = try await call("Runtime.evaluate", ["expression": .string(expression), "awaitPromise": .bool(true), "returnByValue": .bool(true)])
        if let exception = result["exceptionDetails"] {
            throw CDPBrowser.CDPError(description: "page exception: \(exception["exception"]?["description"]?.stringValue ?? exception.encoded())")
        }
        return result["result"]?["value"] ?? .null
    }

    /// Polls `condition` (a JS expression) until it is truthy; the failure names the condition.
    func waitFor(_ condition: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let value = try? await eval("!!(\(condition))"), value.boolValue == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? await eval("document.querySelector('main')?.innerText?.slice(0, 600) ?? document.body.innerText.slice(0, 600)"))?.stringValue ?? ""
        Issue.record("timed out waiting for \(condition); page shows: \(text)", sourceLocation: sourceLocation)
        throw CDPBrowser.CDPError(description: "timeout: \(condition)")
    }

    /// The text of the first element matching `selector` (nil when absent).
    func text(_ selector: String) async throws -> String? {
        try await eval("document.querySelector(\(Self.js(selector)))?.innerText ?? null").stringValue
    }

    func click(_ selector: String) async throws {
        try await eval("(() => { const el = document.querySelector(\(Self.js(selector))); if (!el) throw new Error('no element ' + \(Self.js(selector))); el.scrollIntoView({block: 'center'}); el.click(); })()")
    }

    /// Focuses the field and types the text with real key input (events as a user's typing fires them).
    func type(_ selector: String, _ text: String, replace: Bool = true) async throws {
        try await eval("(() => { const el = document.querySelector(\(Self.js(selector))); if (!el) throw new Error('no element ' + \(Self.js(selector))); el.focus(); if (\(replace)) { el.value = ''; el.dispatchEvent(new Event('input', {bubbles: true})); } })()")
        try await call("Input.insertText", ["text": .string(text)])
    }

    /// Sets a <select>/checkbox/other value through the DOM and fires change.
    func set(_ selector: String, _ value: String) async throws {
        try await eval("(() => { const el = document.querySelector(\(Self.js(selector))); if (!el) throw new Error('no element ' + \(Self.js(selector))); el.value = \(Self.js(value)); el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); })()")
    }

    /// Gives an <input type=file> files (paths on this machine).
    func setFiles(_ selector: String, _ paths: [String]) async throws {
        let doc = try await call("DOM.getDocument", ["depth": .number(0)])
        let root = try #require(doc["root"]?["nodeId"])
        let node = try await call("DOM.querySelector", ["nodeId": root, "selector": .string(selector)])
        try await call("DOM.setFileInputFiles", ["files": .array(paths.map(JSONValue.string)), "nodeId": try #require(node["nodeId"])])
    }

    /// A PNG of the viewport written to `path`.
    func screenshot(_ path: URL) async throws {
        let shot = try await call("Page.captureScreenshot", ["format": .string("png")])
        let base64 = try #require(shot["data"]?.stringValue)
        let data = try #require(Data(base64Encoded: base64))
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: path)
    }

    /// JS exceptions the page threw so far (uncaught errors fail the dashboard tests).
    func exceptions() -> [String] {
        browser.events("Runtime.exceptionThrown").compactMap {
            $0["exceptionDetails"]?["exception"]?["description"]?.stringValue ?? $0["exceptionDetails"]?["text"]?.stringValue
        }
    }

    static func js(_ s: String) -> String { JSONValue.string(s).encoded() }
}
