import Foundation

/// Content sniffing for uploads (PocketBase checks `mimeTypes` against the detected type, not the name).
enum MimeSniffer {
    static func sniff(_ data: [UInt8]) -> String {
        func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
            data.count >= offset + sig.count && Array(data[offset..<offset + sig.count]) == sig
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
        // gabriel-vasile/mimetype: a whole object or array that parses is application/json (before text/plain).
        if let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            (try? JSONValue.parseStrict(String(decoding: data, as: UTF8.self))) != nil
        {
            return "application/json"
        }
        let head = String(decoding: data.prefix(1024), as: UTF8.self)
        if head.contains("<svg") { return "image/svg+xml" }
        if data.isEmpty || data.prefix(512).allSatisfy({ $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 >= 0x80 }) {
            return "text/plain; charset=utf-8"
        }
        return "application/octet-stream"
    }

    /// mimetype's `MIME.Is`: media types compared without parameters and case, so a sniffed
    /// `text/plain; charset=utf-8` is a `text/plain`.
    static func matches(_ detected: String, anyOf allowed: [String]) -> Bool {
        func mediaType(_ s: String) -> Substring {
            s.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingCharacters(in: .whitespaces)[...] ?? ""
        }
        let type = mediaType(detected).lowercased()
        return allowed.contains { mediaType($0).lowercased() == type }
    }

    /// Content-Type for downloads: sniffed, with the extension deciding for text-like types (`.css`, `.svg`, `.json`).
    static func contentType(_ data: [UInt8], filename: String) -> String {
        let sniffed = sniff(data)
        let ext = (filename as NSString).pathExtension.lowercased()
        switch ext {
        case "svg": return "image/svg+xml"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        default: return sniffed
        }
    }
}
