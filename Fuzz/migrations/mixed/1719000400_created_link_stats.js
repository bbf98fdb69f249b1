/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const collection = new Collection({
    "id": "mxg21j72nfkw43s",
    "created": "2024-06-22 10:00:05.599Z",
    "updated": "2024-06-22 10:00:05.599Z",
    "name": "link_stats",
    "type": "view",
    "system": false,
    "schema": [
      {
        "system": false,
        "id": "qbifw1pm",
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
        "id": "qxtpxawu",
        "name": "clicks",
        "type": "number",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "min": 0,
          "max": null,
          "noDecimal": true
        }
      },
      {
        "system": false,
        "id": "dw4rxpug",
        "name": "owner",
        "type": "relation",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "collectionId": "_pb_users_auth_",
          "cascadeDelete": true,
          "minSelect": null,
          "maxSelect": 1,
          "displayFields": [
            "name"
          ]
        }
      }
    ],
    "indexes": [],
    "listRule": "",
    "viewRule": "",
    "createRule": null,
    "updateRule": null,
    "deleteRule": null,
    "options": {
      "query": "SELECT id, title, clicks, owner, created, updated FROM links WHERE public = true"
    }
  });

  return Dao(db).saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);
  const collection = dao.findCollectionByNameOrId("mxg21j72nfkw43s");

  return dao.deleteCollection(collection);
})
