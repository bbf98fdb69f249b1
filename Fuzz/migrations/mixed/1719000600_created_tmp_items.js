/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const collection = new Collection({
    "id": "rrscjz13a8sinp6",
    "created": "2024-06-22 10:00:07.819Z",
    "updated": "2024-06-22 10:00:07.819Z",
    "name": "tmp_items",
    "type": "base",
    "system": false,
    "schema": [
      {
        "system": false,
        "id": "tmp_n",
        "name": "n",
        "type": "number",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "min": null,
          "max": null,
          "noDecimal": false
        }
      }
    ],
    "indexes": [],
    "listRule": null,
    "viewRule": null,
    "createRule": null,
    "updateRule": null,
    "deleteRule": null,
    "options": {}
  });

  return Dao(db).saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);
  const collection = dao.findCollectionByNameOrId("rrscjz13a8sinp6");

  return dao.deleteCollection(collection);
})
