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
        return errors
    }
}
