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

    /// automigrate's file for a changed collection (`jsDiffTemplate`): `unmarshal` of the changed data, then removed,
    /// added and changed fields (by id). nil when nothing differs.
    public static func updated(new: CollectionModel, old: CollectionModel) -> String? {
        let newMap = diffMap(new), oldMap = diffMap(old)
        var up: [String] = [], down: [String] = []
        let upDiff = diffMaps(old: oldMap, new: newMap, excluding: ["fields", "created", "updated"])
        if !upDiff.isEmpty {
            let downDiff = diffMaps(old: newMap, new: oldMap, excluding: ["fields", "created", "updated"])
            up += ["// update collection data", "unmarshal(\(marshal(.object(upDiff))), collection)\n"]
            down += ["// update collection data", "unmarshal(\(marshal(.object(downDiff))), collection)\n"]
        }
        let oldFields = old.fields, newFields = new.fields
        for (i, f) in oldFields.enumerated() where !newFields.contains(where: { $0.id == f.id }) {
            up += ["// remove field", "collection.fields.removeById(\(goQuote(f.id)))\n"]
            down += ["// add field", "collection.fields.addAt(\(i), new Field(\(marshal(.object(f.raw)))))\n"]
        }
        for (i, f) in newFields.enumerated() where !oldFields.contains(where: { $0.id == f.id }) {
            up += ["// add field", "collection.fields.addAt(\(i), new Field(\(marshal(.object(f.raw)))))\n"]
            down += ["// remove field", "collection.fields.removeById(\(goQuote(f.id)))\n"]
        }
        // Order-only changes are ignored, as there.
        for (i, f) in newFields.enumerated() {
            guard let j = oldFields.firstIndex(where: { $0.id == f.id }) else { continue }
            let rawNew = marshal(.object(f.raw)), rawOld = marshal(.object(oldFields[j].raw))
            guard rawNew != rawOld else { continue }
            up += ["// update field", "collection.fields.addAt(\(i), new Field(\(rawNew)))\n"]
            down += ["// update field", "collection.fields.addAt(\(j), new Field(\(rawOld)))\n"]
        }
        guard !up.isEmpty || !down.isEmpty else { return nil }
        func body(_ parts: [String]) -> String { parts.joined(separator: "\n  ").trimmingCharacters(in: .whitespacesAndNewlines) }
        return typesDirective + """
            migrate((app) => {
              const collection = app.findCollectionByNameOrId(\(goQuote(old.id)))

              \(body(up))

              return app.save(collection)
            }, (app) => {
              const collection = app.findCollectionByNameOrId(\(goQuote(new.id)))

              \(body(down))

              return app.save(collection)
            })

            """
    }

    /// automigrate's file name: `{unix}_{created|updated|deleted}_{name}.js` (a name ending in "test" gets a `_`).
    public static func automigrateFileName(action: String, collection name: String, at date: Date = Date()) -> String {
        let normalized = name.lowercased().hasSuffix("test") ? name + "_" : name
        return "\(Int(date.timeIntervalSince1970))_\(action)_\(normalized).js"
    }

    /// The collection as automigrate marshals it: OAuth2 providers emptied (never written).
    static func diffMap(_ c: CollectionModel) -> JSONObject {
        var o = c.apiJSON().objectValue ?? JSONObject()
        if var oauth2 = o["oauth2"]?.objectValue {
            oauth2["providers"] = .array([])
            o["oauth2"] = .object(oauth2)
        }
        return o
    }

    /// templates.go `diffMaps`: new or changed keys (objects recursively), removed keys as null; keys sorted.
    static func diffMaps(old: JSONObject, new: JSONObject, excluding: Set<String> = []) -> JSONObject {
        var diff = JSONObject()
        for (k, vNew) in new.pairs where !excluding.contains(k) {
            guard let vOld = old[k] else {
                diff[k] = vNew
                continue
            }
            guard canonical(vOld) != canonical(vNew) else { continue }
            if case .object(let o) = vOld, case .object(let n) = vNew {
                let sub = diffMaps(old: o, new: n)
                if !sub.isEmpty { diff[k] = .object(sub) }
            } else {
                diff[k] = vNew
            }
        }
        for (k, _) in old.pairs where diff[k] == nil && !excluding.contains(k) && new[k] == nil { diff[k] = .null }
        return diff
    }

    static func canonical(_ v: JSONValue) -> String { v.encodedIndented(prefix: "", indent: "", escapeHTML: true, sortKeys: true) }

    /// The collection as `toMap` sees it, minus what the templates drop.
    static func templateMap(_ c: CollectionModel) -> JSONObject {
        var o = c.exportJSON()
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
