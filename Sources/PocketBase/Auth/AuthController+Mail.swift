import Foundation
import GRDB
import Hummingbird
import NIOConcurrencyHelpers

/// Two-minute resend limits, like PocketBase's store keys.
final class ResendLimiter: Sendable {
    private let until = NIOLockedValueBox<[String: Date]>([:])

    /// True if `key` may send now (and starts its window).
    func allow(_ key: String, window: TimeInterval = 120) -> Bool {
        until.withLockedValue { map in
            let now = Date()
            if let t = map[key], t > now { return false }
            map[key] = now.addingTimeInterval(window)
            return true
        }
    }

    func reset(_ key: String) { until.withLockedValue { $0[key] = nil } }
}

extension AuthController {
    func emailForm(_ request: Request) async throws -> String {
        let body = try await loadForm(request)
        let email = body.string("email")
        var error: FieldError?
        if email.isEmpty { error = .required } else if email.count > 255 {
            error = .lengthOutOfRange(min: 1, max: 255)
        } else if !RecordValidator.isEmail(email) {
            error = FieldError("validation_is_email", "Must be a valid email address.")
        }
        if let error { throw Self.invalidForm(["email": error]) }
        return email
    }

    func findByEmail(_ c: CollectionModel, _ email: String) async throws -> Record? {
        try await storage.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM \(SQLQuote.ident(c.name)) WHERE email = ? LIMIT 1", arguments: [email]).map {
                Record(collection: c, row: $0)
            }
        }
    }

    func sendMail(_ record: Record, template: String, token: String) async throws {
        let t = record.collection.options[template]?.objectValue ?? JSONObject()
        let meta = try await storage.settings()["meta"]?.objectValue ?? JSONObject()
        let appName = meta["appName"]?.stringValue ?? "", appURL = meta["appURL"]?.stringValue ?? ""
        mailbox.send(
            to: record.string("email"), subject: DevMailbox.render(t["subject"]?.stringValue ?? "", appName: appName, appURL: appURL, token: token),
            html: DevMailbox.render(t["body"]?.stringValue ?? "", appName: appName, appURL: appURL, token: token))
    }

    @Sendable func requestVerification(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        if c.name == SystemCollection.superusers { throw APIError.badRequest("All superusers are verified by default.") }
        let email = try await emailForm(request)
        if let record = try await findByEmail(c, email), !(record["verified"].boolValue ?? false),
            limiter.allow("verification_\(c.id)\(record.id)")
        {
            let token = try await AuthToken.issue(for: record, type: "verification", secretKey: "verificationToken", email: email)
            try await sendMail(record, template: "verificationTemplate", token: token)
        }
        return .noContent()
    }

    @Sendable func confirmVerification(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        if c.name == SystemCollection.superusers { throw APIError.badRequest("All superusers are verified by default.") }
        let token = try await tokenForm(request)
        guard let (record, claims) = await AuthToken.record(forToken: token, type: "verification", secretKey: "verificationToken", storage: storage) else {
            throw Self.invalidForm(["token": Self.unverifiedTokenError(token)])
        }
        if (claims.email ?? "").isEmpty { throw Self.invalidForm(["token": Self.missingEmailClaim]) }
        if record.collection.id != c.id { throw Self.invalidForm(["token": Self.tokenCollectionMismatch]) }
        if record.string("email") != claims.email {
            throw Self.invalidForm([
                "token": FieldError("validation_token_email_mismatch", "The record email doesn't match with the requested token claims.")
            ])
        }
        if !(record["verified"].boolValue ?? false) {
            try await storage.write { db in
                try db.execute(sql: "UPDATE \(SQLQuote.ident(c.name)) SET verified = 1, updated = ? WHERE id = ?", arguments: [PBDate.now(), record.id])
            }
            limiter.reset("verification_\(c.id)\(record.id)")
        }
        return .noContent()
    }

    @Sendable func requestPasswordReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        guard c.passwordAuthEnabled else {
            throw APIError.badRequest("The collection is not configured to allow password authentication.")
        }
        let email = try await emailForm(request)
        if let record = try await findByEmail(c, email), limiter.allow("reset_\(c.id)\(record.id)") {
            let token = try await AuthToken.issue(for: record, type: "passwordReset", secretKey: "passwordResetToken", email: email)
            try await sendMail(record, template: "resetPasswordTemplate", token: token)
        }
        return .noContent()
    }

    @Sendable func confirmPasswordReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        let body = try await loadForm(request)
        let token = body.string("token")
        let password = body.string("password")
        let confirm = body.string("passwordConfirm")
        let minLen = max(c.field("password")?.int("min") ?? 1, 1)
        var errors: [String: FieldError] = [:]
        var found: (Record, TokenClaims)?
        if token.isEmpty { errors["token"] = .required } else {
            found = await AuthToken.record(forToken: token, type: "passwordReset", secretKey: "passwordResetToken", storage: storage)
            if found == nil { errors["token"] = Self.invalidToken } else if found!.0.collection.id != c.id { errors["token"] = Self.tokenCollectionMismatch }
        }
        if password.isEmpty { errors["password"] = .required } else if password.count < minLen || password.count > 255 {
            errors["password"] = .lengthOutOfRange(min: minLen, max: 255)
        }
        if confirm.isEmpty { errors["passwordConfirm"] = .required } else if confirm != password {
            errors["passwordConfirm"] = FieldError("validation_values_mismatch", "Values don't match.")
        }
        if !errors.isEmpty { throw Self.invalidForm(errors) }
        guard let (record, claims) = found else { throw APIError.badRequest("Invalid or expired password reset token.") }
        let hash = c.passwordHash(password)
        let verify = !(record["verified"].boolValue ?? false) && record.string("email") == (claims.email ?? "")
        try await storage.write { db in
            try db.execute(
                sql: "UPDATE \(SQLQuote.ident(c.name)) SET password = ?, tokenKey = ?, verified = CASE WHEN ? THEN 1 ELSE verified END, updated = ? WHERE id = ?",
                arguments: [hash, Identifiers.tokenKey(), verify, PBDate.now(), record.id])
        }
        limiter.reset("reset_\(c.id)\(record.id)")
        return .noContent()
    }

    func tokenForm(_ request: Request) async throws -> String {
        let body = try await loadForm(request)
        let token = body.string("token")
        if token.isEmpty { throw Self.invalidForm(["token": .required]) }
        return token
    }

    static let invalidToken = FieldError("validation_invalid_token", "Invalid or expired token.")
    static let missingEmailClaim = FieldError("validation_invalid_token_claims", "Missing email token claim.")
    static let tokenCollectionMismatch = FieldError(
        "validation_token_collection_mismatch", "The provided token is for different auth collection.")

    /// For a token that doesn't verify: a missing email claim is reported first, as PocketBase's form does.
    static func unverifiedTokenError(_ token: String) -> FieldError {
        let claims = try? JWTPayloadPeek.claims(token)
        return (claims?["email"]?.stringValue ?? "").isEmpty ? missingEmailClaim : invalidToken
    }
}

/// Reads a JWT's claims without verifying it.
enum JWTPayloadPeek {
    static func claims(_ token: String) throws -> JSONValue {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { throw APIError.badRequest() }
        var b = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard let data = Data(base64Encoded: b) else { throw APIError.badRequest() }
        return try JSONValue.parse(Array(data))
    }
}
