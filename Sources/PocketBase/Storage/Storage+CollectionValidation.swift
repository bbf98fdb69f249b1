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
        if let duplicate = duplicateFieldError(c.fields) {
            errors["fields"] = duplicate
        } else if let settings = fieldSettingsError(c.fields) {
            errors["fields"] = settings
        }
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

    /// The fields' own settings checks PocketBase makes (`Field.ValidateSettings`) that sptfy-dev reproduces: a
    /// password field's min/max length (bcrypt reads at most 72 bytes) and bcrypt cost — a cost over 31 would
    /// trap bcrypt on the next password set, below 4 it is refused. Errors by field index.
    static func fieldSettingsError(_ fields: [Field]) -> FieldError? {
        var byIndex: [(String, FieldError)] = []
        for (i, f) in fields.enumerated() where f.type == .password {
            var own: [(String, FieldError)] = []
            let min = f.int("min"), max = f.int("max"), cost = f.int("cost")
            if let e = range(min, 1, 71) { own.append(("min", e)) }
            if let e = range(max, Swift.max(min, 0), 71) { own.append(("max", e)) }
            if let e = range(cost, 4, 31) { own.append(("cost", e)) }
            if !own.isEmpty { byIndex.append(("\(i)", .nested(own))) }
        }
        return byIndex.isEmpty ? nil : .nested(byIndex)
    }

    /// ozzo's `Min(lo)`/`Max(hi)` on an int setting: zero means unset and passes both.
    static func range(_ value: Int, _ lo: Int, _ hi: Int) -> FieldError? {
        if value == 0 { return nil }
        if value < lo {
            return FieldError("validation_min_greater_equal_than_required", "Must be no less than \(lo).", params: JSONObject([("threshold", .number(Double(lo)))]))
        }
        if value > hi {
            return FieldError("validation_max_less_equal_than_required", "Must be no greater than \(hi).", params: JSONObject([("threshold", .number(Double(hi)))]))
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
