/// <reference path="../pb_data/types.d.ts" />
// Hand-written v0.23: a new collection relating to collections that v0.22 files created
// (links keeps its v0.22 id, users is the converted built-in auth collection).
migrate((app) => {
  const comments = new Collection({
    type: "base",
    name: "comments",
    listRule: "link.public = true || link.owner = @request.auth.id",
    viewRule: "link.public = true || link.owner = @request.auth.id",
    createRule: "@request.auth.id != '' && @request.body.author = @request.auth.id",
    updateRule: "author = @request.auth.id",
    deleteRule: "author = @request.auth.id || link.owner = @request.auth.id",
    fields: [
      { name: "link", type: "relation", collectionId: "links0000000001", required: true, cascadeDelete: true, maxSelect: 1 },
      { name: "author", type: "relation", collectionId: "_pb_users_auth_", required: true, maxSelect: 1 },
      { name: "body", type: "text", required: true, min: 1, max: 2000 },
      { name: "created", type: "autodate", onCreate: true },
      { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
    ],
    indexes: ["CREATE INDEX `idx_comments_link` ON `comments` (`link`, `created`)"],
  })

  return app.save(comments)
}, (app) => {
  return app.delete(app.findCollectionByNameOrId("comments"))
})
