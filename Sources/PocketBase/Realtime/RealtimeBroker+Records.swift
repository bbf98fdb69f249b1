import Foundation
import GRDB

/// Which subscribers get a record change, and what each of them sees (PocketBase's realtime record hooks).
extension RealtimeBroker {
    /// Topic prefixes of a record: `name/id`, `id/id` (viewRule); `name/*`, `id/*` and the bare collection
    /// (listRule). A subscription matches when `subscription + "?"` starts with one of them.
    static func topicRule(_ subscription: String, record: Record) -> (isView: Bool, matches: Bool) {
        let c = record.collection
        let s = subscription + "?"
        for key in [c.name, c.id] {
            if s.hasPrefix("\(key)/\(record.id)?") { return (true, true) }
            if s.hasPrefix("\(key)/*?") || s.hasPrefix("\(key)?") { return (false, true) }
        }
        return (false, false)
    }

    /// The subscribers allowed to see `record` now (rules and `options.query.filter` run against the current
    /// state, per subscriber, with `@request.context = "realtime"`).
    func deliveries(_ db: Database, record: Record, storage: Storage) -> [Delivery] {
        var out: [Delivery] = []
        // Clients with the same auth, topic kind and options get the same answer: each distinct check runs once
        // (a user with many tabs, thousands of guests), which keeps the work inside the write transaction small.
        var decided: [String: Bool] = [:]
        for client in allClients {
            let auth = client.auth
            let who = auth.map { "\($0.collection.id)/\($0.id)" } ?? ""
            for subscription in client.subscriptions {
                let (isView, matches) = Self.topicRule(subscription, record: record)
                guard matches else { continue }
                let options = SubscriptionOptions(subscription: subscription)
                let key = "\(who)|\(isView)|\(options.cacheKey)"
                let allowed = decided[key] ?? Self.canAccess(db, record: record, isView: isView, auth: auth, options: options, storage: storage)
                decided[key] = allowed
                if allowed { out.append(Delivery(client: client, subscription: subscription, options: options)) }
            }
        }
        return out
    }

    static func requestInfo(auth: Record?, options: SubscriptionOptions) -> RequestInfo {
        RequestInfo(context: RequestInfoContext.realtime.rawValue, method: "GET", query: options.query, headers: options.headers, auth: auth)
    }

    static func canAccess(_ db: Database, record: Record, isView: Bool, auth: Record?, options: SubscriptionOptions, storage: Storage) -> Bool {
        let c = record.collection
        let info = requestInfo(auth: auth, options: options)
        let superuser = info.isSuperuser
        let filter = options.query["filter"] ?? ""
        if !superuser {
            // PocketBase refuses these in a non-superuser's filter or sort: the message is simply not sent.
            for text in [filter, options.query["sort"] ?? ""] where text.contains("@collection.") || text.contains("@request.") { return false }
        }
        let rule: String
        if superuser { rule = "" } else {
            guard let r = isView ? c.viewRule : c.listRule else { return false }
            rule = r
        }
        if rule.isEmpty && filter.isEmpty { return true }
        do {
            var q = RecordQuery(c, storage: storage, request: info, allowHidden: true)
            q.whereID(record.id)
            if !rule.isEmpty { try q.addFilter(rule) }
            if !filter.isEmpty { try q.addFilter(filter) }
            let count = q.count()
            return try Storage.count(db, count) > 0
        } catch { return false }
    }

    /// Before a delete runs (inside its transaction): who may see the record go.
    func prepareDelete(_ db: Database, record: Record, storage: Storage) {
        guard hasClients else { return }
        let allowed = deliveries(db, record: record, storage: storage)
        db.afterNextTransaction(onCommit: { [self] _ in enqueue(Change(action: .delete, record: record, deliveries: allowed)) })
    }

    /// After a save (inside its transaction, which sees the change): the rules are checked now, before a later
    /// request can change or delete the record; the messages go out once it commits, and a rollback sends nothing.
    func recordSaved(_ db: Database, record: Record, action: Action, storage: Storage) {
        guard hasClients else { return }
        let allowed = deliveries(db, record: record, storage: storage)
        db.afterNextTransaction(onCommit: { [self] _ in enqueue(Change(action: action, record: record, deliveries: allowed)) })
    }

    func process(_ change: Change, storage: Storage) async {
        followAuth(change.record, deleted: change.action == .delete)
        await send(change.deliveries, record: change.record, action: change.action, storage: storage)
    }

    /// A client's stored auth follows its record: updated in place, unset when the record is deleted.
    func followAuth(_ record: Record, deleted: Bool) {
        guard record.collection.isAuth else { return }
        for client in allClients {
            guard let auth = client.auth, auth.id == record.id, auth.collection.id == record.collection.id else { continue }
            client.setAuth(deleted ? nil : record)
        }
    }

    func send(_ deliveries: [Delivery], record: Record, action: Action, storage: Storage) async {
        // Subscribers without options and the same view of the record share one encoded message.
        var plain: [Bool: String] = [:]
        for d in deliveries {
            let auth = d.client.auth
            let data: String
            if d.options.query.isEmpty, let cached = plain[await showEmail(record, auth: auth, storage: storage)] {
                data = cached
            } else {
                guard let built = await message(record, action: action, auth: auth, options: d.options, storage: storage) else { continue }
                if d.options.query.isEmpty { plain[built.showEmail] = built.data }
                data = built.data
            }
            // A client too far behind is closed and forgotten; its stalled socket holds one message at most.
            if !d.client.send(event: d.subscription, data: data) { unregister(d.client) }
        }
    }

    /// PocketBase shows an auth record's email to superusers, the record itself, anyone its manageRule admits,
    /// or everyone when `emailVisibility` is on.
    func showEmail(_ record: Record, auth: Record?, storage: Storage) async -> Bool {
        guard record.collection.isAuth else { return false }
        if record["emailVisibility"].boolValue == true { return true }
        guard let auth else { return false }
        if auth.collection.name == SystemCollection.superusers { return true }
        if auth.id == record.id && auth.collection.id == record.collection.id { return true }
        let info = Self.requestInfo(auth: auth, options: SubscriptionOptions())
        return (try? await storage.emailVisibleIDs([record], info: info).contains(record.id)) ?? false
    }

    /// `{"record":…,"action":…}` for one subscriber: hidden fields never (not even for superusers), expand and
    /// fields from the subscription's options.
    func message(_ record: Record, action: Action, auth: Record?, options: SubscriptionOptions, storage: Storage) async
        -> (data: String, showEmail: Bool)?
    {
        guard record.marshalable else { return nil }
        let email = await showEmail(record, auth: auth, storage: storage)
        var expand: JSONObject?
        if let paths = options.query["expand"], !paths.isEmpty {
            let info = Self.requestInfo(auth: auth, options: options)
            let expanded = try? await Expander(storage: storage, info: info, showHidden: false).expand([record], paths: paths)
            expand = (expanded?.first ?? nil) ?? JSONObject()
        }
        var json = JSONValue.object(record.export(superuser: false, requesterID: auth?.id, expand: expand, showEmail: email))
        if let fields = options.query["fields"], !fields.isEmpty, let picked = FieldsProjection.apply(json, fields: fields) { json = picked }
        let body = JSONValue.object(JSONObject([("record", json), ("action", .string(action.rawValue))]))
        return (body.encoded(), email)
    }
}
