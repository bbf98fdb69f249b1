/// MultipartKit 4.7 traps (index out of range) on a byte ≥ 0x80 in a part's header name: its lookup table has 128
/// entries. Go's textproto refuses such names too, so a body that could reach that lookup is refused before
/// MultipartKit sees it. Over-approximates the parser: every `--boundary` anywhere (preamble and body delimiters
/// alike) followed by CRLF starts a header block. Linear: KMP over the body, and each header line is judged once
/// (delimiters inside header values would otherwise rescan the lines after them, quadratic in the body).
public enum MultipartGuard {
    public static func mayTrapMultipartKit(_ body: [UInt8], boundary: [UInt8]) -> Bool {
        let delimiter: [UInt8] = [0x2D, 0x2D] + boundary
        var judged: [Int: Bool] = [:]
        for end in occurrences(of: delimiter, in: body) where headerNamesHaveHighBytes(body, from: end, judged: &judged) {
            return true
        }
        return false
    }

    /// Scans a header block starting at `i` (expected: CRLF, then `name: value` CRLF lines, then CRLF); stops
    /// where MultipartKit would throw instead.
    static func headerNamesHaveHighBytes(_ b: [UInt8], from start: Int) -> Bool {
        var judged: [Int: Bool] = [:]
        return headerNamesHaveHighBytes(b, from: start, judged: &judged)
    }

    /// `judged` remembers the answer from each line start already scanned: the scan from a line start only depends
    /// on that position, and line starts never fall inside another line.
    static func headerNamesHaveHighBytes(_ b: [UInt8], from start: Int, judged: inout [Int: Bool]) -> Bool {
        guard start + 1 < b.count, b[start] == 0x0D, b[start + 1] == 0x0A else { return false }
        var visited: [Int] = []
        var i = start + 2
        var answer = false
        while true {
            if let known = judged[i] {
                answer = known
                break
            }
            visited.append(i)
            guard i < b.count, b[i] != 0x0D else { break }  // the end, or the blank line: the part's body follows
            var high = false
            while i < b.count, b[i] != 0x3A, b[i] != 0x0D {
                if b[i] >= 0x80 {
                    high = true
                    break
                }
                i += 1
            }
            if high {
                answer = true
                break
            }
            // Without a colon, or before a value that does not end in CRLF, MultipartKit throws: nothing to trap.
            guard i < b.count, b[i] == 0x3A else { break }
            while i < b.count, b[i] != 0x0D { i += 1 }
            guard i + 1 < b.count, b[i + 1] == 0x0A else { break }
            i += 2
        }
        for v in visited { judged[v] = answer }
        return answer
    }

    /// End offsets of every occurrence of `pattern` in `text` (Knuth–Morris–Pratt).
    public static func occurrences(of pattern: [UInt8], in text: [UInt8]) -> [Int] {
        guard !pattern.isEmpty, pattern.count <= text.count else { return [] }
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for q in 1..<pattern.count {
            while k > 0, pattern[k] != pattern[q] { k = failure[k - 1] }
            if pattern[k] == pattern[q] { k += 1 }
            failure[q] = k
        }
        var out: [Int] = []
        k = 0
        for (i, byte) in text.enumerated() {
            while k > 0, pattern[k] != byte { k = failure[k - 1] }
            if pattern[k] == byte { k += 1 }
            if k == pattern.count {
                out.append(i + 1)
                k = failure[k - 1]
            }
        }
        return out
    }
}
