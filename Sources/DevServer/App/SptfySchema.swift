import Foundation
import PocketBase

/// The sptfy.in collections in PocketBase's import format (`sptfy.pb_schema.json`, bundled with the dev server).
public enum SptfySchema {
    public static func collections() throws -> [JSONValue] { try bundled("sptfy.pb_schema") }

    /// A bundled `<name>.json` collections file.
    static func bundled(_ name: String) throws -> [JSONValue] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw APIError.badRequest("missing bundled schema \(name).json")
        }
        return try JSONValue.parse(String(contentsOf: url, encoding: .utf8)).arrayValue ?? []
    }
}
