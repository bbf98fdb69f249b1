/// <reference path="../pb_data/types.d.ts" />
// Change a view: query by assignment, rules through unmarshal; the fields are re-derived.
migrate((app) => {
  const view = app.findCollectionByNameOrId("post_stats")

  view.viewQuery = "SELECT p.id, p.title, p.slug, p.views, p.score, p.published FROM posts p WHERE p.status = 'published'"

  unmarshal({
    "listRule": null,
    "viewRule": "@request.auth.id != \"\"",
  }, view)

  return app.save(view)
}, (app) => {
  const view = app.findCollectionByNameOrId("post_stats")

  unmarshal({
    "viewQuery": "SELECT\n  p.id,\n  p.title,\n  p.status,\n  p.rating,\n  (SELECT COUNT(*) FROM members m WHERE m.favorite = p.id) AS fans,\n  p.created\nFROM posts p",
    "listRule": "",
    "viewRule": "",
  }, view)

  return app.save(view)
})
