/// <reference path="../pb_data/types.d.ts" />
// Hand-written v0.22: minimal collection JSON (missing keys take defaults), `Dao(db)` called
// without `new` as PocketBase's own v0.22 templates do. The next snapshot deletes it again.
migrate((db) => {
  const collection = new Collection({
    "id": "obsolete0000001",
    "name": "obsolete",
    "type": "base",
    "schema": [
      { "id": "obsolete_x", "name": "x", "type": "number", "options": { "min": -100, "max": 100, "noDecimal": false } },
    ],
  });

  return Dao(db).saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);

  return dao.deleteCollection(dao.findCollectionByNameOrId("obsolete"));
})
