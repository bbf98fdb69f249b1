import Foundation

/// Resolves filter identifiers against a collection (PocketBase's RecordFieldResolver): plain fields, relation
/// traversal, back-relations, JSON paths, `@request.*`, `@collection.*` and the `:isset`/`:length`/`:each`
/// modifiers. Pure: the schema comes in through `lookup`, values as bound parameters.
final class RecordFieldResolver: FilterFieldResolver {
    let base: CollectionModel
    let lookup: (String) -> CollectionModel?
    let request: RequestInfo?
    let allowHiddenFields: Bool
    let namer: ParamNamer
    private(set) var joins: [SQLJoin] = []
    /// Built on first use: most filters never touch `@request`.
    private lazy var staticInfo: JSONValue = request?.staticMap ?? .null

    static let maxNestedRels = 6
    static let plainAuthFields: Set<String> = ["id", "collectionId", "collectionName", "email", "emailVisibility", "verified"]

    init(base: CollectionModel, lookup: @escaping (String) -> CollectionModel?, request: RequestInfo?, allowHiddenFields: Bool, namer: ParamNamer = ParamNamer()) {
        self.base = base
        self.lookup = lookup
        self.request = request
        self.allowHiddenFields = allowHiddenFields
        self.namer = namer
    }

    var baseAlias: String { SQLQuote.columnify(base.name) }

    func loadCollection(_ nameOrID: String) -> CollectionModel? {
        if nameOrID == base.name || nameOrID == base.id { return base }
        return lookup(nameOrID)
    }

    func registerJoin(_ j: SQLJoin) {
        if let i = joins.firstIndex(where: { $0.alias == j.alias }) { joins[i] = j } else { joins.append(j) }
    }

    static let allowedPatterns: [String] = [
        #"^\w+[\w\.\:]*$"#, #"^\@request\.context$"#, #"^\@request\.method$"#, #"^\@request\.auth\.[\w\.\:]*\w+$"#,
        #"^\@request\.body\.[\w\.\:]*\w+$"#, #"^\@request\.query\.[\w\.\:]*\w+$"#, #"^\@request\.headers\.[\w\.\:]*\w+$"#,
        #"^\@collection\.\w+(\:\w+)?\.[\w\.\:]*\w+$"#,
    ]
    static let allowedRegexes = allowedPatterns.map { try! NSRegularExpression(pattern: $0) }

    func resolve(_ name: String) throws -> ResolvedOperand {
        let range = NSRange(name.startIndex..., in: name)
        guard Self.allowedRegexes.contains(where: { $0.firstMatch(in: name, range: range) != nil }) else {
            throw FilterResolveError(description: "failed to resolve field \(goQuote(name))")
        }
        var run = Runner(resolver: self, fieldName: name)
        return try run.run()
    }

    /// `:isset`, `:length`, `:each` (anything else after a colon is an error).
    static func splitModifier(_ s: String) throws -> (String, String?) {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return (s, nil) }
        guard ["isset", "each", "length"].contains(parts[1]) else { throw FilterResolveError(description: "unknown modifier in \(goQuote(s))") }
        return (parts[0], parts[1])
    }

    func resolveStatic(_ pathIn: [String]) throws -> ResolvedOperand {
        var path = pathIn
        let (last, modifier) = try Self.splitModifier(path[path.count - 1])
        path[path.count - 1] = last
        var value: JSONValue? = staticInfo
        for key in path {
            switch value {
            case .object(let o): value = o[key]
            case .array(let a): value = Int(key).flatMap { $0 >= 0 && $0 < a.count ? a[$0] : nil }
            default: value = nil
            }
            if value == nil { break }
        }
        if modifier == "isset" { return ResolvedOperand(identifier: value == nil ? "FALSE" : "TRUE") }
        let bound: SQLValue
        switch value {
        case nil, .null?: return ResolvedOperand(identifier: "NULL")
        case .string(let s)?:
            if base.field(path[path.count - 1])?.type == .number, let d = Double(s) { bound = .real(d) } else { bound = .text(s) }
        case .bool(let b)?: bound = .integer(b ? 1 : 0)
        case .number(let d)?: bound = .real(d)
        case .array(let a)?:
            // cast.ToStringE fails for slices → JSON text
            bound = .text(JSONValue.array(a).encoded())
        case .object(let o)?: bound = .text(JSONValue.object(o).encoded())
        }
        let p = namer.next("f")
        return ResolvedOperand(identifier: ":" + p, params: [p: bound])
    }
}

/// One identifier's resolution (PocketBase's runner).
struct Runner {
    let resolver: RecordFieldResolver
    let fieldName: String
    var activeProps: [String]
    var activeCollectionName: String
    var activeTableAlias: String
    var allowHiddenFields: Bool
    var nullifyMissingField: Bool
    var withMultiMatch = false
    var multiMatchActiveTableAlias: String
    var multiMatch: MultiMatchSubquery

    init(resolver: RecordFieldResolver, fieldName: String) {
        self.resolver = resolver
        self.fieldName = fieldName
        activeProps = fieldName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        activeCollectionName = resolver.base.name
        activeTableAlias = SQLQuote.columnify(activeCollectionName)
        let special = activeProps[0] == "@collection" || activeProps[0] == "@request"
        allowHiddenFields = resolver.allowHiddenFields || special
        nullifyMissingField = activeProps[0] == "@request"
        multiMatch = MultiMatchSubquery(
            baseTableAlias: activeTableAlias, fromTableName: SQLQuote.columnify(activeCollectionName), fromTableAlias: "__mm_" + activeTableAlias)
        multiMatchActiveTableAlias = multiMatch.fromTableAlias
    }

    func fail(_ s: String) -> FilterResolveError { FilterResolveError(description: s) }

    mutating func run() throws -> ResolvedOperand {
        if activeProps[0] == "@collection" { return try processCollectionField() }
        if activeProps[0] == "@request" {
            guard let request = resolver.request else { return ResolvedOperand(identifier: "NULL") }
            if fieldName.hasPrefix("@request.auth.") { return try processRequestAuthField(request) }
            if fieldName.hasPrefix("@request.body."), activeProps.count > 2 {
                let (name, modifier) = try RecordFieldResolver.splitModifier(activeProps[2])
                if let bodyField = resolver.base.field(name) {
                    if bodyField.type == .relation && activeProps.count > 3 { return try processRequestBodyRelation(bodyField, request) }
                    if modifier == "each" && activeProps.count == 3 { return try processRequestBodyEach(bodyField, request) }
                    if modifier == "length" && activeProps.count == 3 { return try processRequestBodyLength(bodyField, request) }
                }
            }
            return try resolver.resolveStatic(Array(activeProps.dropFirst()))
        }
        return try processActiveProps()
    }

    static func isMultiValuer(_ f: Field) -> Bool { f.type.canHoldMany }

    mutating func processCollectionField() throws -> ResolvedOperand {
        guard activeProps.count >= 3 else { throw fail("invalid @collection field path in \(goQuote(fieldName))") }
        let parts = activeProps[1].split(separator: ":", maxSplits: 1).map(String.init)
        guard let collection = resolver.loadCollection(parts[0]) else { throw fail("failed to load collection \(goQuote(activeProps[1])) from field path \(goQuote(fieldName))") }
        activeCollectionName = collection.name
        activeTableAlias = SQLQuote.columnify(parts.count == 2 && !parts[1].isEmpty ? "__collection_alias_" + parts[1] : "__collection_" + collection.name)
        withMultiMatch = true
        resolver.registerJoin(SQLJoin(table: SQLQuote.ident(SQLQuote.columnify(collection.name)), alias: activeTableAlias, on: nil))
        multiMatchActiveTableAlias = "__mm" + activeTableAlias
        multiMatch.joins.append(SQLJoin(table: SQLQuote.ident(SQLQuote.columnify(collection.name)), alias: multiMatchActiveTableAlias, on: nil))
        activeProps = Array(activeProps.dropFirst(2))
        return try processActiveProps()
    }

    mutating func processRequestAuthField(_ request: RequestInfo) throws -> ResolvedOperand {
        let rest = String(fieldName.dropFirst("@request.auth.".count))
        if RecordFieldResolver.plainAuthFields.contains(rest) { return try resolver.resolveStatic(Array(activeProps.dropFirst())) }
        guard let auth = request.auth else { return ResolvedOperand(identifier: "NULL") }
        let collection = auth.collection
        activeCollectionName = collection.name
        activeTableAlias = "__auth_" + SQLQuote.columnify(collection.name)
        // The auth record's own row, once for the main query and once for the multi-match subquery.
        func authJoin(_ alias: String) -> SQLJoin {
            let p = resolver.namer.next("a")
            return SQLJoin(
                table: SQLQuote.ident(SQLQuote.columnify(collection.name)), alias: alias,
                on: SQLFragment("\(SQLQuote.column(alias, "id")) = :\(p)", [p: .text(auth.id)]))
        }
        resolver.registerJoin(authJoin(activeTableAlias))
        multiMatchActiveTableAlias = "__mm_" + activeTableAlias
        multiMatch.joins.append(authJoin(multiMatchActiveTableAlias))
        activeProps = Array(activeProps.dropFirst(2))
        return try processActiveProps()
    }

    static func bodyItems(_ v: JSONValue?) -> [JSONValue] {
        switch v {
        case nil, .null?: []
        case .array(let a)?: a
        case let x?: [x]
        }
    }

    mutating func processRequestBodyLength(_ f: Field, _ request: RequestInfo) throws -> ResolvedOperand {
        guard Self.isMultiValuer(f) else { throw fail("field \(goQuote(f.name)) doesn't support multivalue operations") }
        return ResolvedOperand(identifier: String(Self.bodyItems(request.body[f.name]).count))
    }

    mutating func processRequestBodyEach(_ f: Field, _ request: RequestInfo) throws -> ResolvedOperand {
        guard Self.isMultiValuer(f) else { throw fail("field \(goQuote(f.name)) doesn't support multivalue operations") }
        let raw = JSONValue.array(Self.bodyItems(request.body[f.name])).encoded()
        let p = resolver.namer.next("dataEach")
        let jeAlias = "__dataEach_" + SQLQuote.columnify(f.name) + "_je"
        resolver.registerJoin(SQLJoin(table: "json_each(:\(p))", alias: jeAlias, on: SQLFragment("1=1", [p: .text(raw)])))
        var result = ResolvedOperand(identifier: SQLQuote.column(jeAlias, "value"))
        if f.isMultiple { withMultiMatch = true }
        if withMultiMatch {
            let p2 = "mm" + p
            let jeAlias2 = "__mm" + jeAlias
            multiMatch.joins.append(SQLJoin(table: "json_each(:\(p2))", alias: jeAlias2, on: nil))
            multiMatch.params[p2] = .text(raw)
            multiMatch.valueIdentifier = SQLQuote.column(jeAlias2, "value")
            result.multiMatch = multiMatch
        }
        return result
    }

    mutating func processRequestBodyRelation(_ f: Field, _ request: RequestInfo) throws -> ResolvedOperand {
        guard let relCollection = resolver.loadCollection(f.string("collectionId")) else { throw fail("failed to load collection \(goQuote(f.string("collectionId"))) from data field \(goQuote(f.name))") }
        let ids = Coerce.toList(request.body[f.name] ?? .null)
        guard !ids.isEmpty else { return ResolvedOperand(identifier: "NULL") }
        activeCollectionName = relCollection.name
        activeTableAlias = SQLQuote.columnify("__data_" + relCollection.name + "_" + f.name)
        func inList(_ alias: String) -> SQLFragment {
            var params: [String: SQLValue] = [:]
            let names = ids.map { id -> String in
                let p = resolver.namer.next("d")
                params[p] = .text(id)
                return ":" + p
            }
            return SQLFragment("\(SQLQuote.column(alias, "id")) IN (\(names.joined(separator: ", ")))", params)
        }
        resolver.registerJoin(SQLJoin(table: SQLQuote.ident(activeCollectionName), alias: activeTableAlias, on: inList(activeTableAlias)))
        if f.isMultiple { withMultiMatch = true }
        multiMatchActiveTableAlias = SQLQuote.columnify("__data_mm_" + relCollection.name + "_" + f.name)
        multiMatch.joins.append(SQLJoin(table: SQLQuote.ident(activeCollectionName), alias: multiMatchActiveTableAlias, on: inList(multiMatchActiveTableAlias)))
        activeProps = Array(activeProps.dropFirst(3))
        return try processActiveProps()
    }

    /// The joins following relation `field` from the table aliased `alias` to `rel` (aliased `alias_field`), through
    /// `json_each` for a multiple relation. PocketBase builds the same joins twice: for the main query and, from the
    /// multi-match aliases, for the multi-match subquery.
    static func relationJoins(from alias: String, field: Field, to rel: CollectionModel) -> (joins: [SQLJoin], alias: String) {
        let clean = SQLQuote.columnify(field.name)
        let prefixed = SQLQuote.column(alias, clean)
        let newAlias = alias + "_" + clean
        let table = SQLQuote.ident(SQLQuote.columnify(rel.name))
        guard field.isMultiple else {
            return ([SQLJoin(table: table, alias: newAlias, on: SQLFragment("\(SQLQuote.column(newAlias, "id")) = \(prefixed)"))], newAlias)
        }
        let je = alias + "_" + clean + "_je"
        return (
            [
                SQLJoin(table: SQLQuote.jsonEach(prefixed), alias: je, on: nil),
                SQLJoin(table: table, alias: newAlias, on: SQLFragment("\(SQLQuote.column(newAlias, "id")) = \(SQLQuote.column(je, "value"))")),
            ], newAlias
        )
    }

    /// The join of a back-relation `{collection}_via_{field}` from the table aliased `alias` (see `relationJoins`).
    static func backRelationJoin(from alias: String, prop: String, back: CollectionModel, backField: Field, multiple: Bool) -> SQLJoin {
        let cleanProp = SQLQuote.columnify(prop)
        let cleanBack = SQLQuote.columnify(backField.name)
        let newAlias = alias + "_" + cleanProp
        let table = SQLQuote.ident(SQLQuote.columnify(back.name))
        guard multiple else {
            return SQLJoin(table: table, alias: newAlias, on: SQLFragment("\(SQLQuote.column(newAlias, cleanBack)) = \(SQLQuote.column(alias, "id"))"))
        }
        let je = alias + "_" + cleanProp + "_je"
        return SQLJoin(
            table: table, alias: newAlias,
            on: SQLFragment(
                "\(SQLQuote.column(alias, "id")) IN (SELECT \(SQLQuote.column(je, "value")) FROM \(SQLQuote.jsonEach(SQLQuote.column(newAlias, cleanBack))) \(SQLQuote.ident(je)))"))
    }

    static func hasSingleColumnUniqueIndex(_ column: String, _ indexes: [String]) -> Bool {
        IndexSQL.uniqueColumns(indexes).contains { $0.count == 1 && $0[0] == column }
    }

    mutating func processActiveProps() throws -> ResolvedOperand {
        let total = activeProps.count
        var i = 0
        while i < total {
            let prop = activeProps[i]
            guard let collection = resolver.loadCollection(activeCollectionName) else { throw fail("failed to resolve field \(goQuote(prop))") }
            if i == total - 1 { return try processLastProp(collection, prop) }
            let field = collection.field(prop)
            if let field, field.type == .json {
                var path = ""
                for (j, p) in activeProps[(i + 1)...].enumerated() {
                    if Int(p) != nil { path += "[" + SQLQuote.columnify(p) + "]" } else {
                        if j > 0 { path += "." }
                        path += SQLQuote.columnify(p)
                    }
                }
                var result = ResolvedOperand(
                    identifier: SQLQuote.jsonExtract(SQLQuote.column(activeTableAlias, SQLQuote.columnify(prop)), path), noCoalesce: true)
                if withMultiMatch {
                    multiMatch.valueIdentifier = SQLQuote.jsonExtract(SQLQuote.column(multiMatchActiveTableAlias, SQLQuote.columnify(prop)), path)
                    result.multiMatch = multiMatch
                }
                return result
            }
            if i >= RecordFieldResolver.maxNestedRels { throw fail("max nested relations reached for field \(goQuote(prop))") }
            guard let field else {
                try processBackRelation(collection, prop)
                if activeProps.isEmpty { return ResolvedOperand(identifier: "NULL") }
                i += 1
                continue
            }
            guard field.type == .relation else { throw fail("field \(goQuote(prop)) is not a valid relation") }
            guard let relCollection = resolver.loadCollection(field.string("collectionId")) else { throw fail("failed to load field \(goQuote(prop)) collection") }
            if !field.isMultiple && i == total - 2 && activeProps[i + 1] == "id" { return try processLastProp(collection, field.name) }
            let (joins, newAlias) = Self.relationJoins(from: activeTableAlias, field: field, to: relCollection)
            joins.forEach { resolver.registerJoin($0) }
            activeCollectionName = relCollection.name
            activeTableAlias = newAlias
            if field.isMultiple { withMultiMatch = true }
            let (mmJoins, newAlias2) = Self.relationJoins(from: multiMatchActiveTableAlias, field: field, to: relCollection)
            multiMatch.joins += mmJoins
            multiMatchActiveTableAlias = newAlias2
            i += 1
        }
        throw fail("failed to resolve field \(goQuote(fieldName))")
    }

    /// `{collection}_via_{field}`; on a missing collection/field under `@request` it resolves to NULL.
    mutating func processBackRelation(_ collection: CollectionModel, _ prop: String) throws {
        let pieces = prop.components(separatedBy: "_via_")
        func missing(_ s: String) throws {
            if nullifyMissingField { activeProps = []; return }
            throw fail(s)
        }
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty,
            pieces.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } })
        else { return try missing("failed to resolve field \(goQuote(prop))") }
        guard let back = resolver.loadCollection(pieces[0]) else { return try missing("failed to load back relation field \(goQuote(prop)) collection") }
        guard let backField = back.field(pieces[1]) else { return try missing("missing back relation field \(goQuote(pieces[1]))") }
        guard backField.type == .relation else { throw fail("invalid back relation field \(goQuote(pieces[1]))") }
        guard backField.string("collectionId") == collection.id else { throw fail("invalid back relation field \(goQuote(backField.name)) collection reference") }
        let multiple = backField.isMultiple || !Self.hasSingleColumnUniqueIndex(backField.name, back.indexes)
        let main = Self.backRelationJoin(from: activeTableAlias, prop: prop, back: back, backField: backField, multiple: multiple)
        resolver.registerJoin(main)
        activeCollectionName = back.name
        activeTableAlias = main.alias
        if multiple { withMultiMatch = true }
        let mm = Self.backRelationJoin(from: multiMatchActiveTableAlias, prop: prop, back: back, backField: backField, multiple: multiple)
        multiMatch.joins.append(mm)
        multiMatchActiveTableAlias = mm.alias
    }

    mutating func processLastProp(_ collection: CollectionModel, _ prop: String) throws -> ResolvedOperand {
        let (name, modifier) = try RecordFieldResolver.splitModifier(prop)
        guard let field = collection.field(name) else {
            if nullifyMissingField { return ResolvedOperand(identifier: "NULL") }
            throw fail("unknown field \(goQuote(name))")
        }
        if field.hidden && !allowHiddenFields { throw fail("non-filterable field \(goQuote(name))") }
        let clean = SQLQuote.columnify(field.name)
        let multiValuer = Self.isMultiValuer(field)
        if modifier == "length" && multiValuer {
            var result = ResolvedOperand(identifier: SQLQuote.jsonArrayLength(SQLQuote.column(activeTableAlias, clean)))
            if withMultiMatch {
                multiMatch.valueIdentifier = SQLQuote.jsonArrayLength(SQLQuote.column(multiMatchActiveTableAlias, clean))
                result.multiMatch = multiMatch
            }
            return result
        }
        if modifier == "each" && multiValuer {
            let je = activeTableAlias + "_" + clean + "_je"
            resolver.registerJoin(SQLJoin(table: SQLQuote.jsonEach(SQLQuote.column(activeTableAlias, clean)), alias: je, on: nil))
            var result = ResolvedOperand(identifier: SQLQuote.column(je, "value"))
            if field.isMultiple { withMultiMatch = true }
            if withMultiMatch {
                let je2 = multiMatchActiveTableAlias + "_" + clean + "_je"
                multiMatch.joins.append(SQLJoin(table: SQLQuote.jsonEach(SQLQuote.column(multiMatchActiveTableAlias, clean)), alias: je2, on: nil))
                multiMatch.valueIdentifier = SQLQuote.column(je2, "value")
                result.multiMatch = multiMatch
            }
            return result
        }
        var result = ResolvedOperand(identifier: SQLQuote.column(activeTableAlias, clean))
        if withMultiMatch {
            multiMatch.valueIdentifier = SQLQuote.column(multiMatchActiveTableAlias, clean)
            result.multiMatch = multiMatch
        }
        if field.name == "email" && !allowHiddenFields && collection.isAuth {
            let visibility = SQLQuote.column(activeTableAlias, "emailVisibility")
            result.afterBuild = { expr in SQLFragment("(\(expr.sql) AND \(visibility) = TRUE)", expr.params) }
        }
        if field.type == .json {
            result.noCoalesce = true
            result.identifier = SQLQuote.jsonExtract(SQLQuote.column(activeTableAlias, clean), "")
            if withMultiMatch {
                multiMatch.valueIdentifier = SQLQuote.jsonExtract(SQLQuote.column(multiMatchActiveTableAlias, clean), "")
                result.multiMatch = multiMatch
            }
        }
        return result
    }
}
