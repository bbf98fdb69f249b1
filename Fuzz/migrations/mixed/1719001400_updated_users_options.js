/// <reference path="../pb_data/types.d.ts" />
// Hand-written v0.22:
// - the whole options object assigned, as the v0.22 diff template does (assigning one key,
//   `users.options.manageRule = ...`, is silently ignored by 0.22.27);
// - one key of a field's options assigned (that works);
// - a relation with maxSelect null (the v0.23 conversion makes it 2147483647);
// - manageRule with @request.data (the conversion rewrites it to @request.body).
migrate((db) => {
  const dao = new Dao(db)
  const users = dao.findCollectionByNameOrId("users")

  users.options = {
    allowEmailAuth: true,
    allowOAuth2Auth: true,
    allowUsernameAuth: true,
    exceptEmailDomains: ["spam.test", "junk.test"],
    manageRule: "@request.auth.collectionName = 'team' && @request.data.verified:isset = false",
    minPasswordLength: 9,
    onlyEmailDomains: null,
    onlyVerified: true,
    requireEmail: true,
  }
  users.schema.getFieldById("users_bio").options.pattern = "^[^<>]*$"
  users.schema.addField(new SchemaField({
    system: false, id: "users_friends", name: "friends", type: "relation", required: false, presentable: false, unique: false,
    options: { collectionId: "_pb_users_auth_", cascadeDelete: false, minSelect: null, maxSelect: null, displayFields: null },
  }))

  return dao.saveCollection(users)
}, (db) => {
  const dao = new Dao(db)
  const users = dao.findCollectionByNameOrId("users")

  users.options = {
    "allowEmailAuth": true,
    "allowOAuth2Auth": true,
    "allowUsernameAuth": true,
    "exceptEmailDomains": ["spam.test"],
    "manageRule": null,
    "minPasswordLength": 10,
    "onlyEmailDomains": null,
    "onlyVerified": true,
    "requireEmail": true
  }
  users.schema.getFieldById("users_bio").options.pattern = ""
  users.schema.removeField("users_friends")

  return dao.saveCollection(users)
})
