/// <reference path="../pb_data/types.d.ts" />
// Hand-written: a base collection with every 0.23.12 field type and most options,
// written in loose JS (unquoted keys, single quotes, trailing commas, comments).
migrate((app) => {
  /* ids are given for most fields; `cover` and `summary` get
     PocketBase's checksum ids (type + crc32 of the name) */
  const collection = new Collection({
    id: "pbc_posts000001",
    name: 'posts',
    type: "base",
    listRule: '',
    viewRule: "status = 'published' || author = @request.auth.id",
    createRule: `@request.auth.id != ""`,
    updateRule: "author = @request.auth.id",
    deleteRule: null,
    fields: [
      { id: "text3208210256", name: "id", type: "text", system: true, primaryKey: true, required: true,
        min: 15, max: 15, pattern: "^[a-z0-9]+$", autogeneratePattern: "[a-z0-9]{15}" },
      { id: "posts_title", name: "title", type: "text", required: true, presentable: true,
        min: 3, max: 120, pattern: '^[^\\n]+$', },
      { id: "posts_slug", name: "slug", type: "text", required: false, min: 0, max: 80,
        pattern: "^[a-z0-9\\-]+$", autogeneratePattern: "post-[a-z0-9]{8}" },
      { name: "summary", type: "text", hidden: true }, // no id: checksum id
      { id: "posts_body", name: "body", type: "editor", maxSize: 1048576, convertURLs: true },
      { id: "posts_rating", name: "rating", type: "number", min: -5, max: 5, onlyInt: true },
      { id: "posts_score", name: "score", type: "number", min: -0.5, max: 99.75, onlyInt: false, },
      { id: "posts_pinned", name: "pinned", type: "bool", required: false, presentable: false },
      { id: "posts_contact", name: "contact", type: "email", exceptDomains: ["spam.test", 'junk.test'], onlyDomains: null },
      { id: "posts_source", name: "source", type: "url", exceptDomains: [], onlyDomains: ["example.com"] },
      { id: "posts_published", name: "published", type: "date",
        min: "2020-01-01 00:00:00.000Z", max: "2030-12-31 23:59:59.999Z" },
      { id: "posts_status", name: "status", type: "select", required: true, maxSelect: 1,
        values: ["draft", "published", "archived"] },
      { id: "posts_labels", name: "labels", type: "select", maxSelect: 3, values: ["a", "b", "c", "d"] },
      { id: "posts_meta", name: "meta", type: "json", maxSize: 2000000 },
      { name: "cover", type: "file", maxSelect: 1, maxSize: 5242880,
        mimeTypes: ["image/png", "image/jpeg"], thumbs: ["100x100", "0x300", "200x0f"], protected: false },
      { id: "posts_attachments", name: "attachments", type: "file", maxSelect: 5, maxSize: 10485760,
        mimeTypes: [], thumbs: null, protected: true },
      { id: "posts_tags", name: "tags", type: "relation", collectionId: "pbc_1219621782",
        cascadeDelete: false, minSelect: 0, maxSelect: 10 },
      { id: "posts_author", name: "author", type: "relation", collectionId: "_pb_users_auth_",
        cascadeDelete: true, minSelect: 0, maxSelect: 1, required: false },
      { id: "posts_secret", name: "secret", type: "password", min: 6, max: 64, cost: 12, pattern: "", hidden: true },
      { id: "posts_created", name: "created", type: "autodate", onCreate: true, onUpdate: false },
      { id: "posts_updated", name: "updated", type: "autodate", onCreate: true, onUpdate: true, },
    ],
    indexes: [
      "CREATE UNIQUE INDEX `idx_posts_slug` ON `posts` (`slug`) WHERE `slug` != ''",
      'CREATE INDEX idx_posts_status ON posts (status, published)',
    ],
  });

  return app.save(collection);
}, (app) => {
  const collection = app.findCollectionByNameOrId("posts");

  return app.delete(collection);
})
