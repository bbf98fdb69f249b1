/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = new Collection({
    "createRule": null,
    "deleteRule": null,
    "fields": [
      {
        "autogeneratePattern": "[a-z0-9]{15}",
        "hidden": false,
        "id": "text3208210256",
        "max": 15,
        "min": 15,
        "name": "id",
        "pattern": "^[a-z0-9]+$",
        "presentable": false,
        "primaryKey": true,
        "required": true,
        "system": true,
        "type": "text"
      },
      {
        "autogeneratePattern": "",
        "hidden": false,
        "id": "text245846248",
        "max": 64,
        "min": 1,
        "name": "label",
        "pattern": "",
        "presentable": false,
        "primaryKey": false,
        "required": true,
        "system": false,
        "type": "text"
      },
      {
        "hidden": false,
        "id": "select1716930793",
        "maxSelect": 1,
        "name": "color",
        "presentable": false,
        "required": false,
        "system": false,
        "type": "select",
        "values": [
          "red",
          "green",
          "blue"
        ]
      }
    ],
    "id": "pbc_1219621782",
    "indexes": [
      "CREATE UNIQUE INDEX idx_tags_label ON tags (label)"
    ],
    "listRule": "",
    "name": "tags",
    "system": false,
    "type": "base",
    "updateRule": null,
    "viewRule": ""
  });

  return app.save(collection);
}, (app) => {
  const collection = app.findCollectionByNameOrId("pbc_1219621782");

  return app.delete(collection);
})
