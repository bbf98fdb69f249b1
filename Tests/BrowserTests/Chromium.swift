import Foundation
import TestSupport
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// Runs Debian's headless Chromium on a page and returns the DOM once virtual time has run out.
enum Chromium {
    static let binary = ProcessInfo.processInfo.environment["CHROMIUM_BIN"].flatMap { $0.isEmpty ? nil : $0 }
        ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func html(_ page: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func dumpDOM(_ url: String, extensionDir: URL? = nil, budgetMilliseconds: Int = 5000) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=\(budgetMilliseconds)", "--dump-dom",
        ]
        if let extensionDir { args.append("--load-extension=\(extensionDir.path)") }
        let process = try ChildProcess(try #require(binary, "chromium is not installed (apt-get install chromium)"), args + [url], stdout: .pipe)
        let out = try #require(process.standardOutput)
        // Blocking reads happen on a Dispatch thread, not the (core-sized) Swift concurrency pool: the servers
        // under test must keep serving while Chromium runs, even with several browser tests at once.
        let data = await withCheckedContinuation { (done: CheckedContinuation<Data, Never>) in
            DispatchQueue.global().async {
                let data = (try? out.readToEnd()) ?? Data()
                process.waitUntilExit()
                done.resume(returning: data)
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The lines a test page wrote into `<pre id="log">`.
    static func logLines(_ dom: String) -> [String] {
        guard let start = dom.range(of: "<pre id=\"log\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else { return [] }
        return dom[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
    }
}
