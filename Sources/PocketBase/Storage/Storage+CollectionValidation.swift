import Foundation

extension Storage {
    /// The checks PocketBase's collection validator makes that sptfy-dev reproduces (name, type, unique name and id,
    /// view query), for the API and for migrations. `typeName` is the submitted type before decoding.
    static func collectionErrors(_ c: CollectionModel, typeName: String, existing: CollectionModel?, all: [CollectionModel]) -> [String: FieldError] {
        var errors: [String: FieldError] = [:]
        if c.name.isEmpty { errors["name"] = .required } else if !RecordValidator.matches("^[a-zA-Z0-9_]+$", c.name) {
            errors["name"] = FieldError("validation_invalid_format", "Invalid value format.")
        } else if all.contains(where: { $0.name.lowercased() == c.name.lowercased() && $0.id != c.id }) {
            errors["name"] = FieldError("validation_collection_name_exists", "Collection name must be unique (case insensitive).")
        }
        if CollectionType(rawValue: typeName) == nil { errors["type"] = FieldError("validation_in_invalid", "Must be a valid value.") }
        if existing == nil, all.contains(where: { $0.id == c.id }) { errors["id"] = FieldError("validation_collection_id_exists", "Collection id must be unique.") }
        // checkViewQuery: a query PocketBase cannot read fields from leaves the view without fields too.
        if c.isView, let reason = ViewFields.validate(c.viewQuery) {
            errors["viewQuery"] = FieldError("validation_invalid_view_query", "Invalid query - \(reason)")
            // Unparsable: no fields at all; parsed but without an id column: fields without their primary key.
            errors["fields"] = reason.hasPrefix("missing required id column")
                ? FieldError("validation_missing_primary_key", "Missing or invalid \"id\" PK field.") : .required
        }
        if let duplicate = duplicateFieldError(c.fields) { errors["fields"] = duplicate }
        errors.merge(ruleErrors(c, all: all)) { a, _ in a }
        return errors
    }

    /// PocketBase's checkFieldDuplicates: the first field whose id, or case-insensitive name (a column), repeats an
    /// earlier one, as `fields.<index>.id|name`.
    static func duplicateFieldError(_ fields: [Field]) -> FieldError? {
        var ids = Set<String>(), names = Set<String>()
        for (i, f) in fields.enumerated() {
            if ids.contains(f.id) {
                return .nested([("\(i)", .nested([("id", FieldError("validation_duplicated_field_id", "Duplicated or invalid field id \(goQuote(f.id))"))]))])
            }
            if names.contains(f.name.lowercased()) {
                let error = FieldError(
                    "validation_duplicated_field_name", "Duplicated or invalid field name \(f.name)", params: JSONObject([("fieldName", .string(f.name))]))
                return .nested([("\(i)", .nested([("name", error)]))])
            }
            ids.insert(f.id)
            names.insert(f.name.lowercased())
        }
        return nil
    }

    /// PocketBase's checkRule: each non-empty rule must build against the collection being saved (fields, relations,
    /// `@collection.*`; `@request.*` without a request), else `validation_invalid_rule` with the filter engine's error.
    /// A view has no create/update/delete rules.
    static func ruleErrors(_ c: CollectionModel, all: [CollectionModel]) -> [String: FieldError] {
        var rules: [(String, String?)] = [("listRule", c.listRule), ("viewRule", c.viewRule), ("createRule", c.createRule),
                                          ("updateRule", c.updateRule), ("deleteRule", c.deleteRule)]
        if c.type == .auth { rules += [("authRule", c.authRule), ("manageRule", c.manageRule)] }
        let lookup: (String) -> CollectionModel? = { key in
            if key == c.id || key.lowercased() == c.name.lowercased() { return c }
            return all.first { $0.id == key } ?? all.first { $0.name.lowercased() == key.lowercased() }
        }
        var errors: [String: FieldError] = [:]
        for (key, rule) in rules {
            if c.isView, ["createRule", "updateRule", "deleteRule"].contains(key), rule != nil {
                errors[key] = FieldError("validation_nil", "Must be blank.")
                continue
            }
            guard let rule, !rule.isEmpty else { continue }
            if let reason = ruleError(rule, base: c, lookup: lookup) {
                errors[key] = FieldError("validation_invalid_rule", "Invalid rule. Raw error: \(reason)")
            }
        }
        return errors
    }

    /// Why `rule` does not build (PocketBase's raw error text), or nil.
    static func ruleError(_ rule: String, base: CollectionModel, lookup: @escaping (String) -> CollectionModel?) -> String? {
        do {
            let groups = try FilterParser.parse(rule)
            let resolver = RecordFieldResolver(base: base, lookup: lookup, request: nil, allowHiddenFields: true)
            _ = try FilterSQLBuilder.build(groups, resolver: resolver)
            return nil
        } catch let error as FilterSyntaxError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }
}
