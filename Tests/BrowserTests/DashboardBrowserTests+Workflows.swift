import DevServer
import Fixtures
import Foundation
import GRDB
import PBJSON
import PocketBase
import Testing

/// The guide's workflows after setup, each end to end in Chromium: records with a file and a relation, schema
/// import with the reviewed diff, export, backups, logs and the admin stats charts.
extension DashboardBrowserTests {
    /// A 1×1 PNG (the smallest real image, so the editor shows a thumbnail).
    static let pixelPNG = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==") ?? Data()

    @Test func createsEditsAndDeletesARecordWithAFileAndARelation() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            let users = try #require(live.storage.collection("users"))
            try await live.api("/api/collections", method: "POST", body: """
                {"name": "notes", "type": "base", "fields": [
                  {"name": "title", "type": "text", "required": true, "presentable": true},
                  {"name": "cover", "type": "file", "maxSelect": 1, "maxSize": 100000},
                  {"name": "owner", "type": "relation", "collectionId": "\(users.id)", "maxSelect": 1}]}
                """)
            try await page.goto(live.base + "/_/#/collections/notes")
            try await page.waitFor("document.querySelector('[data-testid=records-empty]')")
            try await page.click("[data-testid=new-record]")
            try await page.waitFor("document.querySelector('[data-testid=record-form] [data-field=title] input')")
            // The server's validation lands on the field it belongs to.
            try await page.click("[data-testid=record-save]")
            try await page.waitFor("document.querySelector('[data-field=title] .field-error')?.textContent")
            #expect(try await page.text("[data-field=title] .field-error") == "Cannot be blank.")
            try await page.type("[data-field=title] input", "First note")
            #expect(try await page.text("[data-field=title] .field-error") == "", "editing the field clears its error")
            let png = FileManager.default.temporaryDirectory.appendingPathComponent("cover-\(UUID().uuidString).png")
            try Self.pixelPNG.write(to: png)
            defer { try? FileManager.default.removeItem(at: png) }
            try await page.setFiles("[data-field=cover] input[type=file]", [png.path])
            try await page.eval("document.querySelector('[data-field=cover] input[type=file]').dispatchEvent(new Event('change'))")
            try await page.waitFor("document.querySelector('[data-field=cover] .file-item.new')")
            // The relation picker searches the users collection.
            try await page.type("[data-field=owner] input[type=search]", "alice")
            // Focus lists recent users first; the typed search then narrows the results to alice.
            try await page.waitFor("(() => { const o = document.querySelectorAll('[data-field=owner] .relation-option'); return o.length === 1 && o[0].textContent.includes('\(NamedFixtures.alice.id)'); })()")
            try await page.click("[data-field=owner] .relation-option")
            try await page.waitFor("document.querySelector('[data-field=owner] .chip .mono')?.textContent === '\(NamedFixtures.alice.id)'")
            try await live.shoot("record-editor")
            try await page.click("[data-testid=record-save]")
            try await page.waitFor("!document.querySelector('[data-testid=record-form]') && document.querySelectorAll('[data-testid=records-table] tbody tr').length === 1")
            let created = try #require(try await live.storage.read { db in
                try Row.fetchOne(db, sql: "SELECT id, title, cover, owner FROM notes").map { row in (0..<4).map { row[$0] as String? ?? "" } }
            })
            let id = created[0], cover = created[2]
            #expect(created[1] == "First note")
            #expect(created[3] == NamedFixtures.alice.id)
            #expect(cover.hasPrefix("cover_") && cover.hasSuffix(".png"), "PocketBase's file naming: \(cover)")
            let stored = live.storage.dataDir.appendingPathComponent("storage/\(try #require(live.storage.collection("notes")).id)/\(id)/\(cover)")
            #expect(FileManager.default.fileExists(atPath: stored.path))
            try await live.shoot("records-notes")

            // Edit: a new title, the file removed.
            try await page.click("tr[data-id='\(id)'] [data-testid=open-record]")
            try await page.waitFor("document.querySelector('[data-field=cover] .file-item img')")
            try await page.type("[data-field=title] input", "Edited note")
            try await page.click("[data-field=cover] .file-item button")
            try await page.waitFor("document.querySelector('[data-field=cover] .file-item.removed')")
            try await page.click("[data-testid=record-save]")
            try await page.waitFor("!document.querySelector('[data-testid=record-form]')")
            let edited = try #require(try await live.storage.read { db in
                try Row.fetchOne(db, sql: "SELECT title, cover, owner FROM notes WHERE id = ?", arguments: [id]).map { row in (0..<3).map { row[$0] as String? ?? "" } }
            })
            #expect(edited == ["Edited note", "", NamedFixtures.alice.id])
            #expect(!FileManager.default.fileExists(atPath: stored.path), "the removed file is deleted")

            // Delete, after the confirmation.
            try await page.waitFor("document.querySelector('tr[data-id=\"\(id)\"] [data-testid=open-record]')")
            try await page.click("tr[data-id='\(id)'] [data-testid=open-record]")
            try await page.waitFor("document.querySelector('[data-testid=record-delete]')")
            try await page.click("[data-testid=record-delete]")
            try await page.waitFor("document.querySelector('dialog.modal[open] .btn-danger:not([data-testid])')")
            try await page.click("dialog.modal[open] .btn-danger:not([data-testid])")
            try await page.waitFor("document.querySelector('[data-testid=records-empty]')")
            #expect(try await live.storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 0)
        }
    }

    @Test func exportsThenImportsAnEditedSchemaAfterReviewingTheDiff() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            // Export: the preview is the collections JSON; "Download JSON" saves pb_schema.json.
            let downloads = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-downloads-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: downloads) }
            try await live.browser.call("Browser.setDownloadBehavior", ["behavior": .string("allow"), "downloadPath": .string(downloads.path)])
            try await page.goto(live.base + "/_/#/settings/export")
            try await page.waitFor("document.querySelector('[data-testid=export-json]')?.value.startsWith('[')")
            try await live.shoot("settings-export")
            try await page.click("[data-testid=export-download]")
            let file = downloads.appendingPathComponent("pb_schema.json")
            try await eventually { FileManager.default.fileExists(atPath: file.path) && ((try? Data(contentsOf: file).count) ?? 0) > 0 }
            guard case .array(var exported) = try JSONValue.parse([UInt8](Data(contentsOf: file))) else {
                Issue.record("the download is not a JSON array")
                return
            }
            let names = exported.compactMap { $0["name"]?.stringValue }
            #expect(Set(names).isSuperset(of: ["users", "random_short", "analytics", "viewList", "_superusers"]))

            // Import: the export plus one new collection, loaded from a file like the guide does.
            exported.append(try JSONValue.parse("""
                {"name": "playlists", "type": "base", "listRule": "", "fields": [
                  {"name": "title", "type": "text", "required": true}, {"name": "spotify_id", "type": "text"}]}
                """))
            let edited = downloads.appendingPathComponent("edited.json")
            try Data(JSONValue.array(exported).encoded().utf8).write(to: edited)
            try await page.goto(live.base + "/_/#/settings/import")
            try await page.waitFor("document.querySelector('[data-testid=import-file]')")
            try await page.setFiles("[data-testid=import-file]", [edited.path])
            try await page.eval("document.querySelector('[data-testid=import-file]').dispatchEvent(new Event('change'))")
            try await page.waitFor("document.querySelector('[data-testid=import-json]').value.includes('playlists')")
            try await page.click("[data-testid=import-review]")
            try await page.waitFor("document.querySelector('[data-testid=import-diff] .diff-group')")
            let groups = try await page.eval("[...document.querySelectorAll('[data-testid=import-diff] .diff-group')].map((g) => g.dataset.collection)")
            #expect(groups == .array([.string("playlists")]), "only the new collection differs: \(groups.encoded())")
            #expect(try await page.eval("document.querySelector('.diff-group[data-collection=playlists] .diff-item')?.dataset.kind") == .string("+"))
            try await live.shoot("settings-import-review")
            #expect(live.storage.collection("playlists") == nil, "nothing is imported before the confirmation")
            try await page.click("[data-testid=import-confirm]")
            try await eventually { live.storage.collection("playlists") != nil }
            let playlists = try #require(live.storage.collection("playlists"))
            #expect(playlists.fields.map(\.name).contains("spotify_id"))
            #expect(playlists.listRule == "")
            // The sidebar knows the new collection without a reload.
            try await page.goto(live.base + "/_/#/collections/playlists")
            try await page.waitFor("document.querySelector('a[data-collection=playlists]') && document.querySelector('[data-testid=records-empty]')")
        }
    }

    @Test func createsABackupThenRestoresIt() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            try await page.goto(live.base + "/_/#/settings/backups")
            try await page.waitFor("document.querySelector('[data-testid=backup-create]') && document.querySelector('[data-testid=backup-list], .empty')")
            try await page.click("[data-testid=backup-create]")
            try await page.waitFor("document.querySelector('[data-testid=backup-name]')")
            try await page.type("[data-testid=backup-name]", "before_cleanup.zip")
            try await page.click("dialog.modal[open] .btn-primary")
            try await page.waitFor("document.querySelector('[data-testid=backup-row][data-key=\"before_cleanup.zip\"]')", timeout: .seconds(30))
            #expect(FileManager.default.fileExists(atPath: live.storage.dataDir.appendingPathComponent("backups/before_cleanup.zip").path))
            try await live.shoot("settings-backups")

            // A change after the backup (a link deleted) is undone by the restore.
            let slug = NamedFixtures.aliceTrack.slug
            let count = { try await live.storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM random_short WHERE id_url = ?", arguments: [slug]) ?? -1 } }
            #expect(try await count() == 1)
            try await live.storage.write { db in try db.execute(sql: "DELETE FROM random_short WHERE id_url = ?", arguments: [slug]) }
            #expect(try await count() == 0)
            try await page.click("[data-testid=backup-row][data-key=\"before_cleanup.zip\"] [data-testid=backup-restore]")
            try await page.waitFor("document.querySelector('dialog.modal[open] .btn-danger')")
            try await page.click("dialog.modal[open] .btn-danger")
            try await page.waitFor("document.querySelector('[data-testid=backup-status]')?.textContent.startsWith('Restored before_cleanup.zip')", timeout: .seconds(60))
            #expect(try await count() == 1)
            // The session survived (the backup has the same superuser) and the page is usable.
            #expect(try await page.eval("location.hash") == .string("#/settings/backups"))
        }
    }

    @Test func logsChartAndStatsChartsShowTheServersData() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            // Some guest traffic to log (the logs view hides the superuser's own requests by default).
            try await page.eval("Promise.all([...Array(5)].map(() => fetch('/api/collections/random_short/records?perPage=1')))")
            try await page.eval("fetch('/api/collections/random_short/records?filter=' + encodeURIComponent('nope >'))")
            try await Task.sleep(for: .milliseconds(400))  // the log store writes in batches every 100 ms
            try await page.goto(live.base + "/_/#/logs")
            try await page.waitFor("document.querySelector('[data-testid=logs-chart] svg') && document.querySelector('[data-testid=log-row]')")
            let total = try await page.text("[data-testid=logs-total]") ?? ""
            let guestLogs = try await live.api("/api/logs?perPage=1&filter=" + ("data.auth!=\"_superusers\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            let logged = try #require(guestLogs["totalItems"]?.numberValue.map { Int($0) })
            #expect(total.hasPrefix("\(logged) "), "the chart's total is the server's count: \(total) vs \(logged)")
            #expect(logged >= 6)
            let bars = try await page.eval("document.querySelectorAll('[data-testid=logs-chart] svg rect.bar, [data-testid=logs-chart] svg .bar').length")
            #expect((bars.numberValue ?? 0) >= 1)
            try await live.shoot("logs")
            // A log filter narrows the rows to the failed request.
            try await page.type("[data-testid=logs-filter]", "data.status = 400")
            try await page.click("[data-testid=logs-apply]")
            try await page.waitFor("document.querySelectorAll('[data-testid=log-row]').length === 1")
            try await page.click("[data-testid=log-row]")
            try await page.waitFor("document.querySelector('[data-testid=log-data]')?.textContent.includes('nope')")

            // The admin stats endpoint, charted: series, breakdowns, leaderboards of the fixture world. Leaving the
            // page dismisses the open log dialog.
            try await page.goto(live.base + "/_/#/dev/stats")
            try await page.waitFor("!document.querySelector('dialog[open]')")
            try await page.waitFor("document.querySelectorAll('[data-testid=stats-series] svg').length >= 2 && document.querySelector('[data-testid=stats-breakdown]') && document.querySelector('[data-testid=stats-leaderboard] li, [data-testid=stats-leaderboard] tr')")
            let leaderboard = try await page.text("[data-testid=stats-leaderboard]") ?? ""
            #expect(leaderboard.contains(NamedFixtures.aliceTrack.slug), "the top links name the fixture's most clicked link: \(leaderboard.prefix(300))")
            try await live.shoot("dev-stats")
        }
    }

    /// Every page opens without an error or a JS exception, and is screenshotted at both widths (docs/dashboard).
    @Test func everyPageOpensCleanly() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            // Something in the dev mailbox: a password reset mail for alice.
            try await page.eval("fetch('/api/collections/users/request-password-reset', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({email: '\(NamedFixtures.alice.email)'})}).then((r) => r.status)")
            let pages: [(shot: String, hash: String, title: String, ready: String)] = [
                ("records-links", "#/collections/random_short", "random_short", "[data-testid=records-table] tbody tr"),
                ("records-users", "#/collections/users", "users", "[data-testid=records-table] tbody tr"),
                ("schema-auth-users", "#/schema/users", "users", "[data-testid=field-row]"),
                ("schema-view-viewList", "#/schema/viewList", "viewList", "[data-testid=collection-save]"),
                ("settings-application", "#/settings/application", "Application", "[data-testid=ratelimit-rule]"),
                ("settings-mail", "#/settings/mail", "Mail settings", "[data-testid=mail-devnote]"),
                ("dev-overview", "#/dev/overview", "Overview", "[data-testid=fixture-links] tbody tr"),
                ("dev-state", "#/dev/state", "State & snapshots", "[data-testid=snapshot-save]"),
                ("dev-mailbox", "#/dev/mailbox", "Mailbox", "[data-testid=mail-row]"),
                ("dev-spotify", "#/dev/spotify", "Spotify stub", "[data-testid=spotify-account]"),
                ("dev-turnstile", "#/dev/turnstile", "Turnstile", "[data-testid=siteverify-submit]"),
            ]
            for p in pages {
                try await page.goto(live.base + "/_/" + p.hash)
                try await page.waitFor("location.hash === '\(p.hash)' && document.querySelector('main h1')?.textContent === \(CDPPage.js(p.title)) && document.querySelector('\(p.ready)')")
                let errors = try await page.eval("[...document.querySelectorAll('main .alert-error:not(.hidden)')].map((e) => e.textContent).filter(Boolean)")
                #expect(errors == .array([]), "\(p.hash): \(errors.encoded())")
                // Every control has a name a screen reader can read (label, aria-label/-labelledby or text).
                let unnamed = try await page.eval(Self.unnamedControlsJS)
                #expect(unnamed == .array([]), "\(p.hash): controls without an accessible name: \(unnamed.encoded())")
                try await live.shoot(p.shot)
            }
            // The mailbox opens a mail and lists its links (the reset link points at the app's confirm page).
            try await page.goto(live.base + "/_/#/dev/mailbox")
            try await page.waitFor("document.querySelector('[data-testid=mail-row]')")
            try await page.click("[data-testid=mail-row]")
            try await page.waitFor("document.querySelector('[data-testid=mail-detail] [data-testid=mail-link]')")
            #expect(try await page.text("[data-testid=mail-detail] [data-testid=mail-link]")?.contains("confirm-password-reset") == true)
            try await live.shoot("dev-mailbox")
            try await page.goto(live.base + "/_/#/dev/turnstile")
            try await page.waitFor("document.querySelector('[data-testid=siteverify-submit]')")
            // The Turnstile panel's siteverify form: the always-passes test secret succeeds and the call is logged.
            try await page.click("[data-testid=siteverify-submit]")
            try await page.waitFor("document.querySelector('[data-testid=siteverify-result]')?.textContent.includes('\"success\": true')")
            try await page.waitFor("document.querySelector('[data-testid=turnstile-row][data-success=true]')")
            try await live.shoot("dev-turnstile")
        }
    }

    /// The pages PocketBase's emails and OAuth2 redirect point at, opened from the dev mailbox as a developer would;
    /// PocketBase's own route names; the files storage settings; the superuser's forgotten-password form.
    @Test func emailLinksOpenTheirActionPagesAndPocketBaseRoutesWork() async throws {
        try await withDashboard { live in
            let page = live.page
            try await live.login()
            try await live.api("/api/settings", method: "PATCH", body: #"{"meta": {"appURL": "\#(live.base)"}}"#)
            let alice = NamedFixtures.alice
            /// The newest mail whose subject contains `subject`: opened in the mailbox, its first link's URL.
            func mailLink(_ subject: String) async throws -> String {
                try await page.goto(live.base + "/_/#/dev/mailbox")
                let row = "[...document.querySelectorAll('[data-testid=mail-row]')].find((r) => r.textContent.includes(\(CDPPage.js(subject))))"
                try await page.waitFor(row)
                try await page.eval("\(row).click()")
                try await page.waitFor("document.querySelector('[data-testid=mail-detail] [data-testid=mail-link]')?.textContent.includes(\(CDPPage.js(subject == "Verify" ? "confirm-verification" : "confirm-password-reset")))")
                return try #require(try await page.eval("document.querySelector('[data-testid=mail-detail] [data-testid=mail-link]').href").stringValue)
            }
            func guestPost(_ path: String, _ body: String) async throws -> Int {
                let status = try await page.eval("fetch(\(CDPPage.js(path)), {method: 'POST', headers: {'Content-Type': 'application/json'}, body: \(CDPPage.js(body))}).then((r) => r.status)")
                return Int(status.numberValue ?? 0)
            }

            // Password reset: the link from the mail, PocketBase's confirmation error, then success.
            #expect(try await guestPost("/api/collections/users/request-password-reset", #"{"email": "\#(alice.email)"}"#) == 204)
            let reset = try await mailLink("Reset")
            #expect(reset.hasPrefix(live.base + "/_/#/auth/confirm-password-reset/"))
            try await page.goto(reset)
            try await page.waitFor("document.querySelector('[data-testid=auth-action-form] input[name=passwordConfirm]')")
            #expect(try await page.text("main h1")?.contains(alice.email) == true)
            try await page.type("input[name=password]", "alice-new-password")
            try await page.type("input[name=passwordConfirm]", "something-else")
            try await page.click("[data-testid=auth-action-form] button[type=submit]")
            try await page.waitFor("document.querySelector('[data-field=passwordConfirm] .field-error')?.textContent")
            #expect(try await page.text("[data-field=passwordConfirm] .field-error") == "Values don't match.")
            try await live.shoot("auth-confirm-password-reset")
            try await page.type("input[name=passwordConfirm]", "alice-new-password")
            try await page.click("[data-testid=auth-action-form] button[type=submit]")
            try await page.waitFor("document.querySelector('[data-testid=auth-action-done]')")
            #expect(try await page.text("[data-testid=auth-action-done]")?.contains("Successfully changed the user password.") == true)
            #expect(try await guestPost("/api/collections/users/auth-with-password", #"{"identity": "\#(alice.email)", "password": "alice-new-password"}"#) == 200)
            #expect(try await page.eval("!!localStorage.getItem('sptfy_dev_superuser_auth')") == .bool(true), "the superuser session is untouched")

            // Verification: confirmed on arrival.
            try await live.storage.write { db in try db.execute(sql: "UPDATE users SET verified = 0 WHERE id = ?", arguments: [alice.id]) }
            #expect(try await guestPost("/api/collections/users/request-verification", #"{"email": "\#(alice.email)"}"#) == 204)
            try await page.goto(try await mailLink("Verify"))
            try await page.waitFor("document.querySelector('[data-testid=auth-action-done]')")
            #expect(try await page.text("[data-testid=auth-action-done]")?.contains("Successfully verified email address.") == true)
            #expect(try await live.storage.read { db in try Bool.fetchOne(db, sql: "SELECT verified FROM users WHERE id = ?", arguments: [alice.id]) } == true)
            // A token that isn't one: PocketBase's failure text (an expired one would also offer "Resend").
            try await page.goto(live.base + "/_/#/auth/confirm-verification/not-a-token")
            try await page.waitFor("document.querySelector('[data-testid=auth-action-failed]')")
            #expect(try await page.text("[data-testid=auth-action-failed]") == "Invalid or expired verification token.")

            // Where /api/oauth2-redirect sends the all-in-one OAuth2 popup.
            try await page.goto(live.base + "/_/#/auth/oauth2-redirect-success")
            try await page.waitFor("document.querySelector('[data-testid=oauth2-success]')")
            #expect(try await page.text("main h1") == "Auth completed.")

            // PocketBase's own route names open the same places.
            try await page.goto(live.base + "/_/#/settings/import-collections")
            try await page.waitFor("location.hash === '#/settings/import' && document.querySelector('[data-testid=import-json]')")
            try await page.goto(live.base + "/_/#/collections?collection=_pb_users_auth_&recordId=\(alice.id)")
            try await page.waitFor("location.hash === '#/collections/users' && document.querySelector('[data-testid=record-form] [data-field=email] input')?.value === '\(alice.email)'")
            try await page.click("[data-testid=record-cancel]")

            // Files storage: S3 switched on with nothing filled in gets PocketBase's errors under the fields.
            try await page.goto(live.base + "/_/#/settings/storage")
            try await page.waitFor("document.querySelector('[data-testid=settings-storage-form] input[name=\"s3.enabled\"]')")
            try await page.click("input[name=\"s3.enabled\"]")
            try await page.click("[data-testid=settings-storage-form] [data-testid=settings-save]")
            try await page.waitFor("document.querySelector('[data-field=\"s3.bucket\"] .field-error')?.textContent")
            #expect(try await page.text("[data-field=\"s3.bucket\"] .field-error") == "Cannot be blank.")
            try await live.shoot("settings-storage")

            // The superuser's forgotten password, from the login form.
            try await page.click(".nav-user button")
            try await page.waitFor("document.querySelector('[data-testid=forgot-password]')")
            try await page.click("[data-testid=forgot-password]")
            try await page.waitFor("document.querySelector('[data-testid=auth-action-form] input[name=email]')")
            try await page.type("input[name=email]", DashboardBrowserTests.email)
            try await page.click("[data-testid=auth-action-form] button[type=submit]")
            try await page.waitFor("document.querySelector('[data-testid=auth-action-done]')")
            #expect(try await page.text("[data-testid=auth-action-done]")?.contains("Check \(DashboardBrowserTests.email) for the recovery link.") == true)
        }
    }

    /// Visible inputs, selects, textareas and buttons without an accessible name (as a short description each).
    static let unnamedControlsJS = """
        [...document.querySelectorAll('body input:not([type=hidden]), body select, body textarea, body button')]
          .filter((el) => el.offsetParent !== null && !el.closest('[hidden]'))
          .filter((el) => {
            const text = (el.tagName === 'BUTTON' ? el.textContent : '').trim();
            return !text && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.title;
          })
          .map((el) => el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + (el.name ? '#' + el.name : '') + (el.className ? '.' + el.className : ''))
        """

    /// Polls a condition the server side reaches on its own (a download landing, an import committing).
    func eventually(timeout: Duration = .seconds(15), _ condition: @escaping @Sendable () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not reached within \(timeout)", sourceLocation: sourceLocation)
        throw CDPBrowser.CDPError(description: "timeout")
    }
}

extension DashboardBrowserTests.Live {
    /// A REST call from the page with the dashboard's session (its own `send`), JSON body as text.
    @discardableResult
    func api(_ path: String, method: String = "GET", body: String? = nil) async throws -> JSONValue {
        let js = CDPPage.js
        return try await page.eval("import('/_/api.js').then((m) => m.send(\(js(path)), { method: \(js(method)), body: \(body.map { "JSON.parse(\(js($0)))" } ?? "undefined") }))")
    }
}
