/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const collection = new Collection({
    "id": "cim33rhdisknmvt",
    "created": "2024-06-25 12:00:37.430Z",
    "updated": "2024-06-25 12:00:37.430Z",
    "name": "popular_links",
    "type": "view",
    "system": false,
    "schema": [
      {
        "system": false,
        "id": "6dqqqk1a",
        "name": "title",
        "type": "text",
        "required": true,
        "presentable": true,
        "unique": false,
        "options": {
          "min": 2,
          "max": 300,
          "pattern": "^[^<>]+$"
        }
      },
      {
        "system": false,
        "id": "ecja4u5e",
        "name": "clicks",
        "type": "number",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "min": 0,
          "max": 1000000,
          "noDecimal": true
        }
      },
      {
        "system": false,
        "id": "1ovnicgc",
        "name": "kclicks",
        "type": "json",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "maxSize": 1
        }
      }
    ],
    "indexes": [],
    "listRule": "",
    "viewRule": null,
    "createRule": null,
    "updateRule": null,
    "deleteRule": null,
    "options": {
      "query": "SELECT l.id, l.title, l.clicks, (l.clicks * 1.0 / 1000) AS kclicks FROM links l WHERE l.clicks > 100"
    }
  });

  return Dao(db).saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);
  const collection = dao.findCollectionByNameOrId("cim33rhdisknmvt");

  return dao.deleteCollection(collection);
})
