/// <reference path="../pb_data/types.d.ts" />
// Hand-written view collection; the query is a multi-line back-tick string.
// PocketBase regenerates the view's fields from the query on save (ids "_clone_XXXX" are random).
migrate((app) => {
  const view = new Collection({
    id: "pbc_poststats01",
    name: "post_stats",
    type: "view",
    listRule: "",
    viewRule: "",
    createRule: null, updateRule: null, deleteRule: null,
    viewQuery: `SELECT
  p.id,
  p.title,
  p.status,
  p.rating,
  (SELECT COUNT(*) FROM members m WHERE m.favorite = p.id) AS fans,
  p.created
FROM posts p`,
    fields: [],
    indexes: [],
  });

  return app.save(view);
}, (app) => {
  const view = app.findCollectionByNameOrId("pbc_poststats01");

  return app.delete(view);
})
