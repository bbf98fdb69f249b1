import Foundation
import PocketBase

/// The sptfy.in collections in PocketBase's import format (`sptfy.pb_schema.json`, bundled with the dev server).
public enum SptfySchema {
    public static func collections() throws -> [JSONValue] {
        guard let url = Bundle.module.url(forResource: "sptfy.pb_schema", withExtension: "json") else {
            throw APIError.badRequest("missing bundled schema")
        }
        return try JSONValue.parse(String(contentsOf: url, encoding: .utf8)).arrayValue ?? []
    }
}
