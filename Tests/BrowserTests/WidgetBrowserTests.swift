import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TurnstileStub

/// The widget script in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it): each page logs what
/// the widget did into `#log`, and the test reads the DOM Chromium dumps once virtual time has run out.
@Suite(.serialized) struct WidgetBrowserTests {
    static let pageHead = """
        <!doctype html><html><head><meta charset="utf-8"></head><body><pre id="log"></pre>
        <script>function log(s) { document.getElementById("log").textContent += s + "\\n"; }</script>
        """

    /// Implicit rendering: `.cf-turnstile` + `data-*`, a passing key inside a form and a failing one.
    static let implicitPage = pageHead + """
        <form id="f"><div class="cf-turnstile" data-sitekey="1x00000000000000000000AA" data-callback="onPass" data-action="create"></div></form>
        <div class="cf-turnstile" data-sitekey="2x00000000000000000000AB" data-error-callback="onFail"></div>
        <div id="u" class="cf-turnstile" data-sitekey="not-a-test-key" data-error-callback="onUnknown" data-response-field="false"></div>
        <script>
        function onPass(t) { log("pass " + t + " input=" + document.querySelector("#f input[name=cf-turnstile-response]").value); }
        function onFail(code) { log("fail " + code + " token=" + turnstile.getResponse()); }
        function onUnknown(code) { log("unknown " + code + " inputs=" + document.querySelectorAll("#u input").length + "/" + document.querySelectorAll("input").length); }
        </script>
        <script src="/turnstile/v0/api.js" async defer></script></body></html>
        """

    /// Explicit rendering with `onload`: interactive click, execute mode, reset, remove, expiry (ttl=1 s).
    static let explicitPage = pageHead + """
        <div id="a"></div><div id="b"></div><div id="c"></div><div id="d"></div>
        <script>
        window.ready = function () {
          log("onload " + typeof turnstile.render);
          turnstile.ready(function () { log("ready"); });
          var idA = turnstile.render("#a", { sitekey: "3x00000000000000000000FF",
            "before-interactive-callback": function () { log("before-interactive"); },
            "after-interactive-callback": function () { log("after-interactive"); },
            callback: function (t) { log("interactive " + t + " response=" + turnstile.getResponse(idA)); } });
          setTimeout(function () { log("token before click=" + turnstile.getResponse(idA)); document.querySelector("#a [data-sptfy-turnstile-checkbox]").click(); }, 200);
          var idB = turnstile.render("#b", { sitekey: "1x00000000000000000000BB", execution: "execute",
            callback: function (t) { log("executed " + t); } });
          setTimeout(function () { log("before execute=" + turnstile.getResponse(idB)); turnstile.execute("#b"); }, 300);
          var resets = 0;
          var idC = turnstile.render("#c", { sitekey: "1x00000000000000000000AA", "refresh-expired": "manual",
            callback: function (t) { log("c token " + t); if (resets++ === 0) { turnstile.reset(idC); log("c after reset=" + turnstile.getResponse(idC)); } },
            "expired-callback": function () { log("c expired isExpired=" + turnstile.isExpired(idC) + " response=" + turnstile.getResponse(idC)); } });
          var idD = turnstile.render("#d", { sitekey: "1x00000000000000000000AA", callback: function () { log("d must not fire"); } });
          turnstile.remove(idD);
          log("d removed children=" + document.getElementById("d").children.length);
        };
        </script>
        <script src="/turnstile/v0/api.js?render=explicit&onload=ready&ttl=1"></script></body></html>
        """

    /// Strict mode: the widget mints unique tokens, and siteverify takes each once.
    static let strictPage = pageHead + """
        <div id="s"></div>
        <script>
        window.go = function () {
          var id = turnstile.render("#s", { sitekey: "1x00000000000000000000AA", callback: function (t) {
            log("minted " + t);
            var verify = function () { return fetch("/turnstile/v0/siteverify", { method: "POST", headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ secret: "1x0000000000000000000000000000000AA", response: t }) }).then(function (r) { return r.json(); }); };
            verify().then(function (a) { log("first " + JSON.stringify(a["error-codes"]) + " " + a.success);
              return verify(); }).then(function (b) { log("second " + JSON.stringify(b["error-codes"]) + " " + b.success); });
          } });
        };
        </script>
        <script src="/turnstile/v0/api.js?render=explicit&onload=go"></script></body></html>
        """

    func dumpDOM(_ stub: TurnstileStub, page: String) async throws -> String {
        let router = Router()
        stub.register(on: router)
        router.get("page") { _, _ in Chromium.html(page) }
        return try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            try await Chromium.dumpDOM("http://127.0.0.1:\(try #require(client.port))/page")
        }
    }

    @Test func implicitRendering() async throws {
        let lines = Chromium.logLines(try await dumpDOM(TurnstileStub(), page: Self.implicitPage))
        #expect(lines.contains("pass XXXX.DUMMY.TOKEN.XXXX input=XXXX.DUMMY.TOKEN.XXXX"))
        #expect(lines.contains("fail 600010 token=undefined"))
        // the unknown sitekey's widget has no hidden input (response-field=false); the other two have one each
        #expect(lines.contains("unknown 110100 inputs=0/2"))
    }

    @Test func explicitRenderingAndTheJavaScriptAPI() async throws {
        let lines = Chromium.logLines(try await dumpDOM(TurnstileStub(), page: Self.explicitPage))
        #expect(lines.first == "onload function")
        #expect(lines.contains("ready"))
        #expect(lines.contains("d removed children=0"))
        #expect(!lines.contains("d must not fire"))
        // interactive key: nothing until the checkbox is clicked
        #expect(lines.contains("before-interactive"))
        #expect(lines.contains("token before click=undefined"))
        let after = try #require(lines.firstIndex(of: "after-interactive"))
        #expect(lines[after...].contains("interactive XXXX.DUMMY.TOKEN.XXXX response=XXXX.DUMMY.TOKEN.XXXX"))
        // execute mode
        #expect(lines.contains("before execute=undefined"))
        #expect(lines.contains("executed XXXX.DUMMY.TOKEN.XXXX"))
        // reset clears and re-issues; expiry (ttl 1 s, refresh manual) clears and calls back once
        #expect(lines.filter { $0 == "c token XXXX.DUMMY.TOKEN.XXXX" }.count == 2)
        #expect(lines.contains("c after reset=undefined"))
        #expect(lines.filter { $0.hasPrefix("c expired") } == ["c expired isExpired=true response=undefined"])
    }

    @Test func strictModeMintsSingleUseTokens() async throws {
        let lines = Chromium.logLines(try await dumpDOM(TurnstileStub(.init(strict: true)), page: Self.strictPage))
        let minted = try #require(lines.first { $0.hasPrefix("minted ") })
        #expect(minted.hasPrefix("minted 0.sptfy-dev."))
        #expect(lines.contains("first [] true"))
        #expect(lines.contains(#"second ["timeout-or-duplicate"] false"#))
    }
}
