import DevServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TurnstileStub

/// The homepage's create flow in a real browser, offline: a page on another origin (the frontend's) gets its
/// Turnstile widget from the `sptfy-dev turnstile-extension`, and creates a link on a live sptfy-dev with the
/// token in `X-Turnstile-Token` (a CORS preflight), like sptfy.in's homepage with svelte-turnstile.
@Suite(.serialized) struct OfflineFrontendTests {
    static func page(server: String) -> String {
        """
        <!doctype html><html><head><meta charset="utf-8"></head><body><pre id="log"></pre><div id="widget"></div>
        <script>
        function log(s) { document.getElementById("log").textContent += s + "\\n"; }
        var PB = "\(server)";
        // svelte-turnstile only loads Cloudflare's api.js when window.turnstile is missing (that fails offline).
        if (!("turnstile" in window)) {
          log("no widget: would load challenges.cloudflare.com");
        } else {
          turnstile.render("#widget", { sitekey: "1x00000000000000000000AA", appearance: "interaction-only", callback: function (token) {
            fetch(PB + "/api/collections/random_short/records", { method: "POST",
              headers: { "Content-Type": "application/json", "X-Turnstile-Token": token },
              body: JSON.stringify({ from: "https://open.spotify.com/track/offline", id_url: "offline-e2e", subdomain: "track", enable: true }) })
              .then(function (r) { return r.json().then(function (j) { log("create " + r.status + " " + j.id_url); }); })
              .then(function () { return fetch(PB + "/api/collections/viewList/records?sort=-created&fields=id_url,from,created,subdomain&perPage=10&page=1"); })
              .then(function (r) { return r.json(); })
              .then(function (j) { log("recent " + j.items.map(function (i) { return i.id_url; }).join(",")); })
              .catch(function (e) { log("error " + e); });
          } });
        }
        </script></body></html>
        """
    }

    func run(withExtension: Bool) async throws -> [String] {
        let storage = try await DataDirTemplate.shared.freshStorage()
        return try await DevServer.buildApplication(storage: storage, port: 0).test(.live) { server in
            let base = "http://127.0.0.1:\(try #require(server.port))"
            let ext = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-ext-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: ext) }
            try FileManager.default.createDirectory(at: ext, withIntermediateDirectories: true)
            for (name, text) in TurnstileStub().browserExtension(serverURL: base) { try Data(text.utf8).write(to: ext.appendingPathComponent(name)) }
            let frontend = Router()
            let html = Self.page(server: base)
            frontend.get("/") { _, _ in Chromium.html(html) }
            return try await Application(router: frontend, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { app in
                Chromium.logLines(try await Chromium.dumpDOM("http://127.0.0.1:\(try #require(app.port))/", extensionDir: withExtension ? ext : nil))
            }
        }
    }

    @Test func createsALinkOfflineWithTheExtension() async throws {
        let lines = try await run(withExtension: true)
        #expect(lines == ["create 200 offline-e2e", "recent offline-e2e"])
    }

    @Test func withoutTheExtensionThereIsNoWidget() async throws {
        #expect(try await run(withExtension: false) == ["no widget: would load challenges.cloudflare.com"])
    }
}
