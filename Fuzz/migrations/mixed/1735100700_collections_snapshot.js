/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const snapshot = [
    {
      "createRule": "@request.auth.id != \"\"",
      "deleteRule": "@request.auth.collectionName = \"team\"",
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
          "convertURLs": false,
          "hidden": false,
          "id": "memos_text",
          "maxSize": 0,
          "name": "text",
          "presentable": true,
          "required": true,
          "system": false,
          "type": "editor"
        },
        {
          "cascadeDelete": true,
          "collectionId": "links0000000001",
          "hidden": false,
          "id": "memos_link",
          "maxSelect": 1,
          "minSelect": 0,
          "name": "link",
          "presentable": false,
          "required": false,
          "system": false,
          "type": "relation"
        },
        {
          "hidden": false,
          "id": "memos_due",
          "max": "2099-01-01 00:00:00.000Z",
          "min": "",
          "name": "due",
          "presentable": false,
          "required": true,
          "system": false,
          "type": "date"
        },
        {
          "hidden": false,
          "id": "memos_data",
          "maxSize": 0,
          "name": "data",
          "presentable": false,
          "required": false,
          "system": false,
          "type": "json"
        },
        {
          "hidden": false,
          "id": "bool3844597223",
          "name": "pinned",
          "presentable": false,
          "required": false,
          "system": false,
          "type": "bool"
        },
        {
          "hidden": false,
          "id": "autodate2990389176",
          "name": "created",
          "onCreate": true,
          "onUpdate": false,
          "presentable": false,
          "system": false,
          "type": "autodate"
        },
        {
          "hidden": false,
          "id": "autodate3332085495",
          "name": "updated",
          "onCreate": true,
          "onUpdate": true,
          "presentable": false,
          "system": false,
          "type": "autodate"
        }
      ],
      "id": "memos0000000001",
      "indexes": [
        "CREATE INDEX `idx_memos_link` ON `memos` (`link`)"
      ],
      "listRule": "@request.auth.id != \"\"",
      "name": "memos",
      "system": false,
      "type": "base",
      "updateRule": "@request.auth.id != \"\"",
      "viewRule": "@request.auth.id != \"\""
    },
    {
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
          "id": "text1579384326",
          "max": 40,
          "min": 0,
          "name": "name",
          "pattern": "",
          "presentable": true,
          "primaryKey": false,
          "required": true,
          "system": false,
          "type": "text"
        },
        {
          "cascadeDelete": false,
          "collectionId": "memos0000000001",
          "hidden": false,
          "id": "relation3223211085",
          "maxSelect": 999,
          "minSelect": 0,
          "name": "memos",
          "presentable": false,
          "required": false,
          "system": false,
          "type": "relation"
        },
        {
          "hidden": false,
          "id": "number3591724014",
          "max": 360,
          "min": 0,
          "name": "hue",
          "onlyInt": true,
          "presentable": false,
          "required": false,
          "system": false,
          "type": "number"
        }
      ],
      "id": "pbc_2193784671",
      "indexes": [
        "CREATE UNIQUE INDEX idx_labels_name ON labels (name)"
      ],
      "listRule": "",
      "name": "labels",
      "system": false,
      "type": "base",
      "updateRule": null,
      "viewRule": ""
    }
  ];

  return app.importCollections(snapshot, false);
}, (app) => {
  return null;
})
