import DevServer
import Fixtures
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import PBJSON
import PocketBase
import Testing

/// The dashboard at `/_/` in a real headless Chromium against a live sptfy-dev (fixture world, automigrate on):
/// every flow of the guide's "Initial Setup", "Import Database Schema" and "Database Backups" sections, plus the
/// dev panels. `SPTFY_SCREENSHOTS_DIR` (scripts/dashboard-screenshots.sh → docs/dashboard) keeps the screenshots.
@Suite(.serialized) struct DashboardBrowserTests {
    static let email = DevServerConfiguration.defaultSuperuserEmail
    static let password = DevServerConfiguration.defaultSuperuserPassword

    struct Live {
        let base: String
        let storage: Storage
        let migrations: URL
        let browser: CDPBrowser
        let page: CDPPage

        /// Logs in through the form (the session is then in localStorage, like a user's).
        func login() async throws {
            try await page.goto(base + "/_/#/login")
            try await page.waitFor("document.querySelector('input[name=identity]')")
            try await page.type("input[name=identity]", DashboardBrowserTests.email)
            try await page.type("input[name=password]", DashboardBrowserTests.password)
            try await page.click("form button[type=submit]")
            // `#/collections` opens the first collection itself (a replace): wait for it so later navigation wins.
            try await page.waitFor("location.hash.startsWith('#/collections/') && document.querySelector('[data-testid=records-table]')")
        }

        /// Screenshots of the current page at 1280 px and 390 px wide.
        func shoot(_ name: String) async throws {
            let dir = ProcessInfo.processInfo.environment["SPTFY_SCREENSHOTS_DIR"].map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-dashboard-shots")
            try await page.screenshot(dir.appendingPathComponent("\(name)-1280.png"))
            try await page.setViewport(width: 390, height: 844)
            try await Task.sleep(for: .milliseconds(300))
            try await page.screenshot(dir.appendingPathComponent("\(name)-390.png"))
            try await page.setViewport(width: 1280, height: 900)
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// A fresh fixture data dir (optionally without any superuser: first run) served on an ephemeral loopback port.
    func withDashboard(superuser: Bool = true, _ body: @escaping @Sendable (Live) async throws -> Void) async throws {
        let fixtures = FixtureOptions()
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: fixtures)
        defer { try? FileManager.default.removeItem(at: storage.dataDir) }
        if !superuser { try await storage.write { db in try db.execute(sql: "DELETE FROM _superusers") } }
        let migrations = storage.dataDir.deletingLastPathComponent().appendingPathComponent("pb_migrations-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: migrations) }
        var logger = Logger(label: "dashboard-test")
        logger.logLevel = .warning
        let router = DevServer.buildRouter(
            storage: storage, apps: [SptfyApp()], automigrate: Automigrate(directory: migrations), details: DevDetails(fixtures: fixtures, realSpotify: false))
        let app = PocketBaseServer.buildApplication(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { server in
            let base = "http://127.0.0.1:\(try #require(server.port))"
            let browser = try await CDPBrowser.launch()
            do {
                let page = try await browser.newPage()
                try await body(Live(base: base, storage: storage, migrations: migrations, browser: browser, page: page))
                #expect(page.exceptions() == [], "uncaught exceptions in the dashboard")
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    @Test func firstRunSetupThenLoginAndLogout() async throws {
        try await withDashboard(superuser: false) { live in
            let page = live.page
            // No superuser: `/_/` opens the installer (the server hands loopback browsers its one-time token).
            try await page.goto(live.base + "/_/")
            try await page.waitFor("location.hash.startsWith('#/pbinstal/') && document.querySelector('input[name=passwordConfirm]')")
            #expect(try await page.text("main h1") == "Create your first superuser account in order to continue")
            #expect(try await page.text("form button[type=submit]") == "Create and Login")
            try await live.shoot("setup")
            // PocketBase's validation, shown under the fields it belongs to: the form check first (confirmation),
            // then the record's (the password field's minimum).
            try await page.type("input[name=email]", "dev@example.com")
            try await page.type("input[name=password]", "short")
            try await page.type("input[name=passwordConfirm]", "different")
            try await page.click("form button[type=submit]")
            try await page.waitFor("document.querySelector('[data-field=passwordConfirm] .field-error')?.textContent")
            #expect(try await page.text("[data-field=passwordConfirm] .field-error") == "Values don't match.")
            try await page.type("input[name=passwordConfirm]", "short")
            try await page.click("form button[type=submit]")
            try await page.waitFor("document.querySelector('[data-field=password] .field-error')?.textContent")
            #expect(try await page.text("[data-field=password] .field-error") == "Must be at least 8 character(s).")
            let confirmAfter = try await page.text("[data-field=passwordConfirm] .field-error") ?? ""
            #expect(confirmAfter.isEmpty, "the old error is cleared")
            try await live.shoot("setup-errors")
            try await page.type("input[name=password]", "dev-password-1")
            try await page.type("input[name=passwordConfirm]", "dev-password-1")
            try await page.click("form button[type=submit]")
            try await page.waitFor("location.hash.startsWith('#/collections') && document.querySelector('.nav-email')?.textContent === 'dev@example.com'")
            // The placeholder installer superuser is gone; the new one is the only superuser.
            let emails = try await live.storage.read { db in try String.fetchAll(db, sql: "SELECT email FROM _superusers ORDER BY email") }
            #expect(emails == ["dev@example.com"])
            // The session survives a reload.
            try await page.call("Page.reload")
            try await page.waitFor("document.querySelector('.nav-email')?.textContent === 'dev@example.com'")
            // Logout, then a wrong password, then the right one.
            try await page.click(".nav-user button")
            try await page.waitFor("location.hash === '#/login' && document.querySelector('input[name=identity]')")
            #expect(try await page.eval("localStorage.getItem('sptfy_dev_superuser_auth')") == .null)
            try await page.type("input[name=identity]", "dev@example.com")
            try await page.type("input[name=password]", "wrong-password")
            try await page.click("form button[type=submit]")
            try await page.waitFor("document.querySelector('.form-message')?.textContent")
            #expect(try await page.text(".form-message") == "Invalid login credentials.")
            try await live.shoot("login")
            try await page.type("input[name=password]", "dev-password-1")
            try await page.click("form button[type=submit]")
            try await page.waitFor("location.hash.startsWith('#/collections') && document.querySelector('.app-nav')")
            // The installer link no longer works once a superuser exists.
            #expect(try await live.storage.installerToken() == nil)
        }
    }

    @Test func createsACollectionWithFieldsAndSeesItsMigrationThenFiltersRecords() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            // Schema editor: a base collection with several field types; automigrate writes the file the UI names.
            try await page.goto(live.base + "/_/#/schema/new")
            try await page.waitFor("document.querySelector('[data-testid=collection-name] input, input[data-testid=collection-name]')")
            try await page.type("[data-testid=collection-name] input, input[data-testid=collection-name]", "posts")
            for (type, name) in [("text", "title"), ("number", "score"), ("bool", "published"), ("date", "due")] {
                try await page.click("[data-testid=add-field]")
                try await page.click("[data-testid=new-field-type] button[data-type=\(type)]")
                try await page.type("[data-testid=field-row]:last-of-type [data-testid=field-name]", name)
            }
            // A rule naming a field that doesn't exist: PocketBase's rule error under the rule (its tab opens), no file.
            try await page.click("[data-testid=tab-rules]")
            try await page.click("[data-testid=rule-lock-listRule]")
            try await page.type("[data-testid=rule-listRule]", "titel != ''")
            try await page.click("[data-testid=tab-fields]")
            try await page.click("[data-testid=collection-save]")
            try await page.waitFor("document.querySelector('[data-field=listRule] .field-error')?.textContent")
            #expect(try await page.text("[data-field=listRule] .field-error") == #"Invalid rule. Raw error: invalid left operand "titel" - unknown field "titel"."#)
            #expect(try await page.eval("!document.querySelector('[data-testid=rule-listRule]').closest('[role=tabpanel]').hidden") == .bool(true))
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: live.migrations.path)) ?? []).isEmpty, "nothing was written")
            try await live.shoot("schema-rule-error")
            try await page.type("[data-testid=rule-listRule]", "title != ''")
            try await page.click("[data-testid=collection-save]")
            try await page.waitFor("document.querySelector('[data-testid=migration-file].alert-ok')")
            #expect(live.storage.collection("posts")?.listRule == "title != ''")
            let written = try FileManager.default.contentsOfDirectory(atPath: live.migrations.path).filter { $0.hasSuffix("_created_posts.js") }
            #expect(written.count == 1)
            let alert = try await page.text("[data-testid=migration-file]") ?? ""
            #expect(written.first.map { alert.contains($0) } == true, "the UI names the file: \(alert)")
            let posts = try #require(live.storage.collection("posts"))
            #expect(Set(posts.fields.map(\.name)).isSuperset(of: ["title", "score", "published", "due"]))
            try await live.shoot("schema-created")
            // Records: a filter with a syntax error shows PocketBase's error, a valid one clears it.
            try await page.goto(live.base + "/_/#/collections/random_short")
            try await page.waitFor("document.querySelector('[data-testid=records-table] tbody tr')")
            try await page.type("[data-testid=records-filter]", "utm_view >")
            try await page.eval("document.querySelector('[data-testid=records-filter]').form.requestSubmit()")
            try await page.waitFor("document.querySelector('[data-testid=filter-error]')?.textContent")
            #expect(try await page.text("[data-testid=filter-error]")?.contains("Something went wrong while processing your request.") == true)
            try await live.shoot("records-filter-error")
            try await page.type("[data-testid=records-filter]", "id_url = '\(NamedFixtures.aliceTrack.slug)'")
            try await page.eval("document.querySelector('[data-testid=records-filter]').form.requestSubmit()")
            try await page.waitFor("!document.querySelector('[data-testid=filter-error]')?.textContent && document.querySelectorAll('[data-testid=records-table] tbody tr').length === 1")
        }
    }
}
