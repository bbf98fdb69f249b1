import DevServer
import Foundation
import Testing

/// The README's production-vs-guide table is the real diff, not a hand-kept copy.
@Suite struct ProfileDiffTests {
    @Test func readmeTableIsTheGeneratedDiff() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: repo.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- profile-diff:start -->\n")), end = try #require(readme.range(of: "<!-- profile-diff:end -->"))
        let table = String(readme[start.upperBound..<end.lowerBound])
        #expect(table == (try Profile.markdownDiff(.production, .guide)), "README is stale: run scripts/profile-diff.sh")
        // What the issue asks the table to show: collections, fields, rules and hooks.
        for needle in ["collection only in production", "`fields.ip`", "`listRule`", "| hook | POST /api/sptfy/click/{id_url} |"] {
            #expect(table.contains(needle), "\(needle)")
        }
    }
}
