import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The two XML documents S3 answers with: ListObjectsV2 pages and error bodies. XMLParser resolves the entity
/// escapes (`&amp;`, `&#x...;`) keys arrive with; external entities stay unresolved (its default).
enum S3XML {
    struct Page {
        var objects: [S3Object] = []
        var isTruncated = false
        var nextContinuationToken: String?
    }

    /// A `ListBucketResult` page; nil when the body is not one (or an entry lacks its key or size).
    static func listPage(_ data: Data) -> Page? {
        guard let elements = parse(data), elements.last?.path == ["ListBucketResult"] else { return nil }
        var page = Page()
        var key: String?, size: Int?, lastModified: Date?
        for element in elements {
            switch element.path {
            case ["ListBucketResult", "Contents", "Key"]: key = element.text
            case ["ListBucketResult", "Contents", "Size"]: size = Int(element.text.trimmingCharacters(in: .whitespacesAndNewlines))
            case ["ListBucketResult", "Contents", "LastModified"]: lastModified = isoDate(element.text)
            case ["ListBucketResult", "Contents"]:
                guard let objectKey = key, let objectSize = size else { return nil }
                // A missing or odd date should not hide the object; the epoch sorts it as oldest.
                page.objects.append(S3Object(key: objectKey, size: objectSize, lastModified: lastModified ?? Date(timeIntervalSince1970: 0)))
                (key, size, lastModified) = (nil, nil, nil)
            case ["ListBucketResult", "IsTruncated"]: page.isTruncated = element.text.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
            case ["ListBucketResult", "NextContinuationToken"]: page.nextContinuationToken = element.text
            default: break
            }
        }
        return page
    }

    /// `<Error><Code>…</Code><Message>…</Message></Error>`; nil when the body is not XML.
    static func error(_ data: Data) -> (code: String?, message: String?)? {
        guard !data.isEmpty, let elements = parse(data) else { return nil }
        var code: String?, message: String?
        for element in elements {
            if element.path == ["Error", "Code"] { code = element.text }
            if element.path == ["Error", "Message"] { message = element.text }
        }
        return (code, message)
    }

    /// S3's `2009-10-12T17:50:30.000Z` (some servers drop the fraction).
    static func isoDate(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// `Last-Modified` / `Date` headers: RFC 1123 in GMT.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    struct Element {
        var path: [String]
        var text: String
    }

    /// Every element in document order of their ends, with its path from the root and its own text.
    static func parse(_ data: Data) -> [Element]? {
        let collector = Collector()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        return parser.parse() ? collector.elements : nil
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var elements: [Element] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            stack.append(Element(path: (stack.last?.path ?? []) + [name], text: ""))
        }

        // Text may come in several pieces (around each entity), so it is appended.
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: block, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let element = stack.popLast() { elements.append(element) }
        }
    }
}
