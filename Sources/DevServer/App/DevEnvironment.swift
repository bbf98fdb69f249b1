import Foundation

/// The variables a dev server run reads: `.env` (if present) under the process environment, which wins — the usual
/// dotenv rule, so `FOO=1 swift run sptfy-dev serve` overrides the file.
public struct DevEnvironment: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The process environment over `dotEnv` (default `./.env`; a missing file is no error).
    public static func load(
        process: [String: String] = ProcessInfo.processInfo.environment,
        dotEnv: URL = URL(fileURLWithPath: ".env")
    ) -> DevEnvironment {
        let file = (try? String(contentsOf: dotEnv, encoding: .utf8)).map(parseDotEnv) ?? [:]
        return DevEnvironment(file.merging(process) { _, process in process })
    }

    /// The value as set, empty included (`CF_SECRET_KEY=` means "no secret").
    public subscript(_ key: String) -> String? { values[key] }

    /// The value when set and not empty.
    public func nonEmpty(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }

    /// `KEY=VALUE` lines: blank lines and `#` comments skipped, an optional `export `, values optionally quoted
    /// ('…' literally, "…" with `\n` `\"` `\\`); an unquoted value ends at ` #`.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
                value = String(value.dropFirst().dropLast())
            } else if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\\", with: "\u{0}").replacingOccurrences(of: "\\n", with: "\n")
                    .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\u{0}", with: "\\")
            } else if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            out[key] = value
        }
        return out
    }
}
