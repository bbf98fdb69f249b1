/// <reference path="../pb_data/types.d.ts" />
// Hand-written field edits on posts: every FieldsList method and in-place property changes.
migrate((app) => {
  const collection = app.findCollectionByNameOrId("posts") // by name

  // append (no id: checksum id "number" + crc32("views"))
  collection.fields.add(new Field({ type: "number", name: "views", min: 0, onlyInt: true }))

  // insert at a position
  collection.fields.addAt(2, new Field({
    id: "posts_subtitle", type: "text", name: "subtitle", max: 200,
  }))

  // addAt with an existing id replaces the field and moves it to the position
  collection.fields.addAt(1, new Field({
    id: "posts_pinned", type: "bool", name: "pinned", presentable: true,
  }))

  // raw JSON string variant
  collection.fields.addMarshaledJSONAt(4, '{"id":"posts_lang","type":"select","name":"lang","values":["en","de","fr"],"maxSelect":1}')

  collection.fields.removeById("posts_attachments")

  // change fields found by id / by name
  const slug = collection.fields.getById("posts_slug")
  slug.required = true
  slug.max = 96

  let contact = collection.fields.getByName("contact")
  contact.hidden = true
  contact.onlyDomains = ["example.com", "example.org"]
  contact.exceptDomains = null

  collection.fields.getByName("score").max = 100.25

  // rules and indexes by assignment
  collection.listRule = "status = \"published\""
  collection.deleteRule = "author = @request.auth.id && @request.auth.verified = true"
  collection.updateRule = null
  collection.indexes = [
    "CREATE UNIQUE INDEX `idx_posts_slug` ON `posts` (`slug`)",
    "CREATE INDEX `idx_posts_views` ON `posts` (`views`)",
  ]

  return app.save(collection)
}, (app) => {
  const collection = app.findCollectionByNameOrId("pbc_posts000001") // by id

  collection.fields.removeById("number300981383")
  collection.fields.removeById("posts_subtitle")
  collection.fields.removeById("posts_lang")
  collection.fields.addAt(7, new Field({ id: "posts_pinned", type: "bool", name: "pinned" }))
  collection.fields.addAt(15, new Field({
    id: "posts_attachments", name: "attachments", type: "file", maxSelect: 5, maxSize: 10485760,
    mimeTypes: [], thumbs: null, protected: true,
  }))
  collection.fields.getById("posts_slug").required = false
  collection.fields.getById("posts_slug").max = 80
  collection.fields.getByName("contact").hidden = false
  collection.fields.getByName("score").max = 99.75

  collection.listRule = ""
  collection.deleteRule = null
  collection.updateRule = "author = @request.auth.id"
  collection.indexes = [
    "CREATE UNIQUE INDEX `idx_posts_slug` ON `posts` (`slug`) WHERE `slug` != ''",
    "CREATE INDEX idx_posts_status ON posts (status, published)",
  ]

  return app.save(collection)
})
