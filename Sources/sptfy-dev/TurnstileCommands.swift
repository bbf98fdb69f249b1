import ArgumentParser
import DevServer
import Foundation
import Hummingbird
import Logging
import TurnstileStub

struct TurnstileStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnstile-stub",
        abstract: "Serve the offline Cloudflare Turnstile alone: siteverify, the api.js widget and a verification log.")

    @Option(help: "HOST:PORT to listen on.") var http = "127.0.0.1:8092"
    @Flag(help: "Allow binding a non-loopback address.") var allowRemote = false
    @Flag(help: "Widget tokens are unique, single-use and expire (real test keys are not).") var strict = false
    @Option(help: "Seconds a minted token stays valid (strict mode).") var tokenLifetime: Double = 300
    @Option(help: "Append every verification to this JSON-lines file (read it with `sptfy-dev turnstile-log --file`).")
    var log: String?

    func run() async throws {
        let stub = TurnstileStub(.init(strict: strict, tokenLifetime: tokenLifetime, logFile: log.map { URL(fileURLWithPath: $0) }))
        try await StandaloneStub.run(label: "turnstile-stub", http: http, allowRemote: allowRemote) { host, port in
            let base = "http://\(host):\(port)\(TurnstileStub.prefix)"
            return """
                Turnstile stub on \(base)\(strict ? " (strict: single-use tokens, \(Int(tokenLifetime)) s lifetime)" : "")
                  siteverify \(base)/siteverify   widget \(base)/api.js   log \(base)/verifications
                  secrets: \(TurnstileTestKeys.passSecret) passes, \(TurnstileTestKeys.failSecret) fails, \(TurnstileTestKeys.spentSecret) spent

                """
        } register: { stub.register(on: $0) }
    }
}

struct TurnstileLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnstile-log", abstract: "List the Turnstile verifications the dev server (or a stub's --log file) answered.")

    @OptionGroup var data: DataDirOptions
    @Option(help: "A JSON-lines log written by `turnstile-stub --log` (instead of the data dir's).") var file: String?

    func run() async throws {
        let url = file.map { URL(fileURLWithPath: $0) }
            ?? data.url.appendingPathComponent(".sptfy-dev").appendingPathComponent("turnstile.jsonl")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let entries = text.split(separator: "\n").compactMap { (try? JSONValue.parse(String($0))).flatMap(VerificationLogEntry.init) }
        if entries.isEmpty { print("(no verifications in \(url.path))") }
        for e in entries { print(e.summary) }
    }
}

struct IPAPIStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ip-api-stub", abstract: "Serve the offline ip-api.com (`/json/{ip}`) alone, for IP_API_URL.")

    @Option(help: "HOST:PORT to listen on.") var http = "127.0.0.1:8093"
    @Flag(help: "Allow binding a non-loopback address.") var allowRemote = false

    func run() async throws {
        try await StandaloneStub.run(label: "ip-api-stub", http: http, allowRemote: allowRemote) { host, port in
            "ip-api stub on http://\(host):\(port) (GET /json/{ip}?fields=…)\n"
        } register: { IPAPIStub().register(on: $0, prefix: "") }
    }
}

struct TurnstileExtensionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnstile-extension",
        abstract: "Write an unpacked Chromium extension that puts the Turnstile stub widget on every page (offline frontend).",
        discussion: "chromium --user-data-dir=/tmp/sptfy-chromium --load-extension=DIR http://127.0.0.1:5173")

    @Option(help: "Directory to write the extension into.") var out = ".sptfy-dev/turnstile-extension"
    @Option(help: "Base URL of the server that serves the stub (strict mode mints tokens there).") var server = "http://127.0.0.1:8090"
    @Flag(help: "Strict widget tokens (run the server with TURNSTILE_STRICT=1 too).") var strict = false

    func run() async throws {
        let dir = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in TurnstileStub(.init(strict: strict)).browserExtension(serverURL: server) {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        print("wrote \(dir.path)\n  chromium --user-data-dir=/tmp/sptfy-chromium --load-extension=\(dir.path) http://127.0.0.1:5173")
    }
}
