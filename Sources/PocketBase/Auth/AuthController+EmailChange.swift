import Foundation
import GRDB
import Hummingbird
import HummingbirdBcrypt

extension AuthController {
    /// `POST request-email-change {newEmail}` (auth of this collection) → mail with an emailChange token.
    @Sendable func requestEmailChange(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        if c.name == SystemCollection.superusers { throw APIError.badRequest("All superusers can change their emails directly.") }
        guard let auth = context.auth else { throw APIError.requireAuth }
        guard auth.collection.id == c.id else {
            throw APIError.forbidden("The request requires auth record from \(auth.collection.name) collection.")
        }
        let body = try await loadForm(request)
        let newEmail = body.string("newEmail")
        var error: FieldError?
        if newEmail.isEmpty { error = .required } else if newEmail.count > 255 {
            error = .lengthOutOfRange(min: 1, max: 255)
        } else if !RecordValidator.isEmail(newEmail) {
            error = FieldError("validation_is_email", "Must be a valid email address.")
        } else if newEmail == auth.record.string("email") {
            error = FieldError("validation_not_in_invalid", "Must not be in list.")
        } else if let other = try await findByEmail(c, newEmail), other.id != auth.id {
            error = FieldError("validation_invalid_new_email", "Invalid new email address.")
        }
        if let error { throw Self.invalidForm(["newEmail": error]) }
        let token = try await AuthToken.issue(
            for: auth.record, type: "emailChange", secretKey: "emailChangeToken", email: auth.record.string("email"), newEmail: newEmail)
        var target = auth.record
        target["email"] = .string(newEmail)
        try await sendMail(target, template: "confirmEmailChangeTemplate", token: token)
        return .noContent()
    }

    /// `POST confirm-email-change {token, password}` → email set, verified, tokenKey rotated.
    @Sendable func confirmEmailChange(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        if c.name == SystemCollection.superusers { throw APIError.badRequest("All superusers can change their emails directly.") }
        let body = try await loadForm(request)
        let token = body.string("token")
        let password = body.string("password")
        // parseToken: newEmail claim, email not taken, valid emailChange token of this collection.
        var parsed: (Record, String)?
        var tokenError: FieldError?
        if token.isEmpty { tokenError = .required } else {
            let newEmail = (try? JWTPayloadPeek.claims(token))?["newEmail"]?.stringValue ?? ""
            if newEmail.isEmpty {
                tokenError = FieldError("validation_invalid_token_payload", "Invalid token payload - newEmail must be set.")
            } else if try await findByEmail(c, newEmail) != nil {
                tokenError = FieldError("validation_existing_token_email", "The new email address is already registered: \(newEmail)")
            } else if let (record, _) = await AuthToken.record(forToken: token, type: "emailChange", secretKey: "emailChangeToken", storage: storage) {
                if record.collection.id != c.id {
                    tokenError = Self.tokenCollectionMismatch
                } else {
                    parsed = (record, newEmail)
                }
            } else {
                tokenError = Self.invalidToken
            }
        }
        var errors: [String: FieldError] = [:]
        if let tokenError { errors["token"] = tokenError }
        if password.isEmpty { errors["password"] = .required } else if password.count > 100 {
            errors["password"] = .lengthOutOfRange(min: 1, max: 100)
        } else if parsed == nil || !Bcrypt.verify(password, hash: parsed!.0.string("password")) {
            errors["password"] = FieldError("validation_invalid_password", "Missing or invalid auth record password.")
        }
        if !errors.isEmpty { throw Self.invalidForm(errors) }
        guard let (record, newEmail) = parsed else { throw APIError.badRequest("Invalid or expired token.") }
        try await storage.write { db in
            try db.execute(
                sql: "UPDATE \(SQLQuote.ident(c.name)) SET email = ?, verified = 1, tokenKey = ?, updated = ? WHERE id = ?",
                arguments: [newEmail, Identifiers.tokenKey(), PBDate.now(), record.id])
        }
        return .noContent()
    }

    /// OTP routes: 403 while the collection has OTP disabled (sptfy.in's users do).
    @Sendable func otpDisabled(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        guard c.otp.enabled else {
            throw APIError.forbidden("The collection is not configured to allow OTP authentication.")
        }
        // OTP for collections that enable it (sptfy.in's don't) is not implemented: say so instead of pretending.
        throw APIError.badRequest("OTP authentication is not implemented by sptfy-dev.")
    }
}
