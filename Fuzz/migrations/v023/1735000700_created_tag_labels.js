/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = new Collection({
    "createRule": null,
    "deleteRule": null,
    "fields": [
      {
        "autogeneratePattern": "",
        "hidden": false,
        "id": "text3208210256",
        "max": 0,
        "min": 0,
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
        "id": "_clone_Ze3R",
        "max": 80,
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
        "id": "_clone_vD4q",
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
    "id": "pbc_2458005153",
    "indexes": [],
    "listRule": "",
    "name": "tag_labels",
    "system": false,
    "type": "view",
    "updateRule": null,
    "viewQuery": "SELECT id, label, color FROM tags",
    "viewRule": null
  });

  return app.save(collection);
}, (app) => {
  const collection = app.findCollectionByNameOrId("pbc_2458005153");

  return app.delete(collection);
})
