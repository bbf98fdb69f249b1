import Foundation
import HummingbirdBcrypt

extension RecordUpsert {
    /// forms.RecordUpsert's auth-collection rules: password + confirmation, the old password for callers without
    /// manager access, `email`/`verified` only for managers (superusers, or a caller passing the manageRule), and
    /// tokenKey rotation on a password change. Errors of the form itself are thrown alone; the password field's own
    /// rules (min/max/pattern) join the record validation.
    mutating func applyAuthForm(body: ParsedBody, manager: Bool) throws {
        guard record.collection.isAuth else { return }
        var errors: [String: FieldError] = [:]
        // Without manager access `verified` can't be set and `email` can't be changed (the hidden-field filter may
        // already have dropped them).
        if !manager {
            if isNew, record["verified"].boolValue == true {
                errors["verified"] = FieldError("validation_values_mismatch", "Values don't match.")
            }
            if let original {
                if record.string("email") != original.string("email") {
                    errors["email"] = FieldError("validation_values_mismatch", "Values don't match.")
                }
                if record["verified"] != original["verified"] {
                    errors["verified"] = FieldError("validation_values_mismatch", "Values don't match.")
                }
            }
        }
        let password = body.string("password")
        let confirm = body.string("passwordConfirm")
        if isNew || !password.isEmpty {
            if isNew && password.isEmpty { errors["password"] = .required }
            if confirm.isEmpty && (isNew || !password.isEmpty) {
                errors["passwordConfirm"] = .required
            } else if password != confirm {
                errors["passwordConfirm"] = FieldError("validation_values_mismatch", "Values don't match.")
            }
            if !isNew, !manager, !password.isEmpty {
                let old = body.string("oldPassword")
                if old.isEmpty {
                    errors["oldPassword"] = .required
                } else if !Bcrypt.verify(old, hash: original?.string("password") ?? "") {
                    errors["oldPassword"] = FieldError("validation_invalid_old_password", "Missing or invalid old password.")
                }
            }
        }
        if !errors.isEmpty { throw APIError.badRequest(failureMessage, errors.json) }
        if !password.isEmpty {
            if let f = record.collection.field("password"),
                let e = try RecordValidator(relationExists: { _, _ in true }).validate(field: f, value: .string(password), record: record, isNew: isNew)
            {
                self.errors["password"] = e
            }
            record["password"] = .string(record.collection.passwordHash(password))
            record["tokenKey"] = .string(Identifiers.tokenKey())
        }
        if isNew && record.string("tokenKey").isEmpty {
            record["tokenKey"] = .string(Identifiers.tokenKey())
        }
    }

    /// PocketBase's message for a failed submit.
    var failureMessage: String { isNew ? "Failed to create record." : "Failed to update record." }
}
