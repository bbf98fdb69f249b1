import Foundation
import Hummingbird

/// `POST /api/settings/test/email` and `/api/settings/test/s3` (superusers), as PocketBase 0.23.12 answers them.
extension SettingsController {
    /// PocketBase's test templates and where each collection keeps them.
    static let testTemplates: [String: (key: String, nested: Bool)] = [
        "verification": ("verificationTemplate", false), "password-reset": ("resetPasswordTemplate", false),
        "email-change": ("confirmEmailChangeTemplate", false), "otp": ("otp", true), "login-alert": ("authAlert", true),
    ]

    /// Sends the collection's template to the address — here into the dev mailbox (PocketBase would use SMTP).
    @Sendable func testEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let body = try await BodyParser.parse(request)
        let email = body.string("email"), template = body.string("template")
        let collectionKey = body.string("collection").isEmpty ? SystemCollection.superusers : body.string("collection")
        var errors: [String: FieldError] = [:]
        if email.isEmpty { errors["email"] = .required } else if !RecordValidator.isEmail(email) {
            errors["email"] = FieldError("validation_is_email", "Must be a valid email address.")
        }
        if template.isEmpty { errors["template"] = .required } else if Self.testTemplates[template] == nil {
            errors["template"] = FieldError("validation_in_invalid", "Must be a valid value.")
        }
        let collection = storage.collection(collectionKey).flatMap { $0.isAuth ? $0 : nil }
        if collection == nil {
            errors["collection"] = FieldError("validation_invalid_auth_collection", "Must be a valid auth collection id or name.")
        }
        guard errors.isEmpty, let collection, let (key, nested) = Self.testTemplates[template] else {
            throw APIError.badRequest("Failed to send the test email.", errors.json)
        }
        let t = (nested ? collection.options[key]?["emailTemplate"] : collection.options[key])?.objectValue ?? JSONObject()
        let meta = try await storage.settings()["meta"]?.objectValue ?? JSONObject()
        let appName = meta["appName"]?.stringValue ?? "", appURL = meta["appURL"]?.stringValue ?? ""
        let token = Identifiers.random(20, alphabet: Identifiers.alphanumeric)
        mailbox.send(
            to: email, subject: DevMailbox.render(t["subject"]?.stringValue ?? "", appName: appName, appURL: appURL, token: token),
            html: DevMailbox.render(t["body"]?.stringValue ?? "", appName: appName, appURL: appURL, token: token))
        return .noContent()
    }

    /// Checks the configured S3 filesystem (`storage`: the `s3` section, `backups`: `backups.s3`) with a signed
    /// ListObjectsV2 request.
    @Sendable func testS3(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let body = try await BodyParser.parse(request)
        let filesystem = body.string("filesystem")
        var errors: [String: FieldError] = [:]
        if filesystem.isEmpty { errors["filesystem"] = .required } else if filesystem != "storage" && filesystem != "backups" {
            errors["filesystem"] = FieldError("validation_in_invalid", "Must be a valid value.")
        }
        if !errors.isEmpty { throw APIError.badRequest("Failed to test the S3 filesystem.", errors.json) }
        let settings = try await storage.settings()
        let s3 = (filesystem == "storage" ? settings["s3"] : settings["backups"]?["s3"])?.objectValue ?? JSONObject()
        func failure(_ reason: String) -> APIError { APIError.badRequest("Failed to test the S3 filesystem. Raw error: \n" + reason) }
        guard s3["enabled"]?.boolValue == true else { throw failure("S3 storage filesystem is not enabled.") }
        do {
            try await S3Client(settings: s3).list(prefix: "", maxKeys: 1)
        } catch let e as S3Client.Failure {
            throw failure(e.description)
        }
        return .noContent()
    }
}
