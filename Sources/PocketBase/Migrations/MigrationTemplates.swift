import Foundation

/// The JS files `pocketbase migrate create|collections` and automigrate write (plugins/migratecmd/templates.go at
/// v0.23.12), byte for byte: collections as Go marshals a map (keys sorted, two-space indent after a two-space
/// prefix, no HTML escaping), without `created`, `updated` and the OAuth2 providers.
public enum MigrationTemplates {
    static let typesDirective = "/// <reference path=\"../pb_data/types.d.ts\" />\n"

    /// `{unix seconds}_{snake_case name}.js`
    public static func fileName(_ name: String, at date: Date = Date()) -> String {
        "\(Int(date.timeIntervalSince1970))_\(snakeCase(name)).js"
    }

    public static func blank() -> String {
        typesDirective + """
            migrate((app) => {
              // add up queries...
            }, (app) => {
              // add down queries...
            })

            """
    }

    public static func snapshot(_ collections: [CollectionModel]) -> String {
        let data = JSONValue.array(collections.map { .object(templateMap($0)) })
        return typesDirective + """
            migrate((app) => {
              const snapshot = \(marshal(data));

              return app.importCollections(snapshot, false);
            }, (app) => {
              return null;
            })

            """
    }

    public static func created(_ c: CollectionModel) -> String {
        typesDirective + """
            migrate((app) => {
              const collection = new Collection(\(marshal(.object(templateMap(c)))));

              return app.save(collection);
            }, (app) => {
              const collection = app.findCollectionByNameOrId(\(goQuote(c.id)));

              return app.delete(collection);
            })

            """
    }

    public static func deleted(_ c: CollectionModel) -> String {
        typesDirective + """
            migrate((app) => {
              const collection = app.findCollectionByNameOrId(\(goQuote(c.id)));

              return app.delete(collection);
            }, (app) => {
              const collection = new Collection(\(marshal(.object(templateMap(c)))));

              return app.save(collection);
            })

            """
    }

    /// The collection as `toMap` sees it, minus what the templates drop.
    static func templateMap(_ c: CollectionModel) -> JSONObject {
        var o = c.apiJSON().objectValue ?? JSONObject()
        o["created"] = nil
        o["updated"] = nil
        if var oauth2 = o["oauth2"]?.objectValue {
            oauth2["providers"] = nil
            o["oauth2"] = .object(oauth2)
        }
        return o
    }

    static func marshal(_ v: JSONValue) -> String {
        v.encodedIndented(prefix: "  ", indent: "  ", escapeHTML: false, sortKeys: true)
    }

    /// Go's `%q` for the ASCII ids and names it is used on.
    static func goQuote(_ s: String) -> String { JSONValue.string(s).encoded() }

    /// inflector.Snakecase: split at runs of `[\W_]` (ASCII word characters), an uppercase letter not after another
    /// uppercase one starts a new word, lower-cased, joined by `_`.
    static func snakeCase(_ s: String) -> String {
        var result = ""
        for word in s.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) {
            if !result.isEmpty { result += "_" }
            var previous: Character?
            for ch in word {
                if ch.isUppercase, let p = previous, !p.isUppercase { result += "_" }
                result.append(ch)
                previous = ch
            }
        }
        return result.lowercased()
    }
}
