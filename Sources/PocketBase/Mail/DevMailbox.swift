import Foundation
import NIOConcurrencyHelpers

/// Outgoing mail captured instead of SMTP: kept in memory and appended to `pb_data/.sptfy-dev/mailbox.jsonl`
/// so `sptfy-dev mail` can read it from another process.
public final class DevMailbox: Sendable {
    public struct Message: Sendable, Equatable {
        public var id: String
        public var to: String
        public var subject: String
        public var html: String
        public var sentAt: String

        public var json: JSONValue {
            .obj(["id": .string(id), "to": .string(to), "subject": .string(subject), "html": .string(html), "sentAt": .string(sentAt)])
        }

        init(id: String, to: String, subject: String, html: String, sentAt: String) {
            self.id = id
            self.to = to
            self.subject = subject
            self.html = html
            self.sentAt = sentAt
        }

        init?(_ v: JSONValue) {
            guard let to = v["to"]?.stringValue, let subject = v["subject"]?.stringValue else { return nil }
            self.init(
                id: v["id"]?.stringValue ?? "", to: to, subject: subject, html: v["html"]?.stringValue ?? "", sentAt: v["sentAt"]?.stringValue ?? "")
        }
    }

    let file: URL?
    private let messages = NIOLockedValueBox<[Message]>([])

    public init(dataDir: URL?) {
        file = dataDir?.appendingPathComponent(".sptfy-dev").appendingPathComponent("mailbox.jsonl")
        if let file, let text = try? String(contentsOf: file, encoding: .utf8) {
            let loaded = text.split(separator: "\n").compactMap { (try? JSONValue.parseStrict(String($0))).flatMap(Message.init) }
            messages.withLockedValue { $0 = loaded }
        }
    }

    public var all: [Message] { messages.withLockedValue { $0 } }

    func send(to: String, subject: String, html: String) {
        let m = Message(id: Identifiers.random(15), to: to, subject: subject, html: html, sentAt: PBDate.now())
        messages.withLockedValue { $0.append(m) }
        guard let file else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let line = Data((m.json.encoded() + "\n").utf8)
        if let h = try? FileHandle(forWritingTo: file) {
            _ = try? h.seekToEnd()
            try? h.write(contentsOf: line)
            try? h.close()
        } else {
            try? line.write(to: file)
        }
    }

    /// The settings' app name/URL fill PocketBase's template placeholders.
    static func render(_ template: String, appName: String, appURL: String, token: String) -> String {
        template.replacingOccurrences(of: "{APP_NAME}", with: appName).replacingOccurrences(of: "{APP_URL}", with: appURL)
            .replacingOccurrences(of: "{TOKEN}", with: token)
    }
}
