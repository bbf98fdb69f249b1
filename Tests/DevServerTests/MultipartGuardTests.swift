import Testing

@testable import SafeMultipart

/// The guard in front of MultipartKit (which traps on a high byte in a part's header name).
@Suite struct MultipartGuardTests {
    @Test func findsEveryOccurrenceInLinearTime() {
        #expect(MultipartGuard.occurrences(of: Array("aba".utf8), in: Array("ababa".utf8)) == [3, 5])
        #expect(MultipartGuard.occurrences(of: Array("--XB".utf8), in: Array("x--XB\r\n--XB--".utf8)) == [5, 11])
        #expect(MultipartGuard.occurrences(of: Array("zz".utf8), in: Array("z".utf8)).isEmpty)
        let long = [UInt8](repeating: 0x2D, count: 1_000_000)
        #expect(MultipartGuard.occurrences(of: [UInt8](repeating: 0x2D, count: 999) + [0x78], in: long).isEmpty)
    }

    @Test func flagsHighBytesInHeaderNamesOnly() {
        func body(_ s: [UInt8]) -> [UInt8] { Array("--XB\r\n".utf8) + s }
        let boundary = Array("XB".utf8)
        #expect(MultipartGuard.mayTrapMultipartKit(body(Array("Co".utf8) + [0xFF] + Array(": x\r\n\r\nv\r\n--XB--\r\n".utf8)), boundary: boundary))
        // High bytes in values, bodies and file contents are fine.
        let upload = body(Array("Content-Disposition: form-data; name=\"f\"; filename=\"\u{00E9}.png\"\r\n\r\n".utf8) + [0x89, 0xFF, 0x0D, 0x0A] + Array("--XB--\r\n".utf8))
        #expect(!MultipartGuard.mayTrapMultipartKit(upload, boundary: boundary))
        // The crash the HTTP fuzzer found (Fuzz/regressions/http/multipart-index-out-of-range).
        #expect(MultipartGuard.mayTrapMultipartKit(Array("x\n--XB\r\nCo".utf8) + [0xFF, 0xFF, 0xFF] + Array("rt-Disposition: f".utf8), boundary: boundary))
    }

    /// Delimiters inside header values each start a scan of the lines after them: judged once per line, the work
    /// stays linear (this body made the old scan do 2,000 × 2,000 line steps), and the answer is the same as
    /// scanning from each delimiter alone.
    @Test func delimitersInHeaderValuesAreScannedOnce() {
        let boundary = Array("XB".utf8)
        let lines = [UInt8](Array("A:--XB\r\n".utf8).repeated(2_000))
        let clean = Array("--XB\r\n".utf8) + lines + Array("\r\n".utf8)
        #expect(!MultipartGuard.mayTrapMultipartKit(clean, boundary: boundary))
        let dirty = Array("--XB\r\n".utf8) + lines + Array("N".utf8) + [0xC3] + Array(":x\r\n\r\n".utf8)
        #expect(MultipartGuard.mayTrapMultipartKit(dirty, boundary: boundary))
        // Memoised and fresh scans agree from every delimiter.
        var judged: [Int: Bool] = [:]
        for end in MultipartGuard.occurrences(of: Array("--XB".utf8), in: dirty) {
            let fresh = MultipartGuard.headerNamesHaveHighBytes(dirty, from: end)
            #expect(MultipartGuard.headerNamesHaveHighBytes(dirty, from: end, judged: &judged) == fresh)
        }
    }
}

extension Array {
    fileprivate func repeated(_ times: Int) -> [Element] { (0..<times).flatMap { _ in self } }
}
