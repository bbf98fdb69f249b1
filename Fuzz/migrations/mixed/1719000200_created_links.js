/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const collection = new Collection({
    "id": "links0000000001",
    "created": "2024-06-22 10:00:03.357Z",
    "updated": "2024-06-22 10:00:03.357Z",
    "name": "links",
    "type": "base",
    "system": false,
    "schema": [
      {
        "system": false,
        "id": "links_title",
        "name": "title",
        "type": "text",
        "required": true,
        "presentable": true,
        "unique": false,
        "options": {
          "min": 2,
          "max": 200,
          "pattern": "^[^<>]+$"
        }
      },
      {
        "system": false,
        "id": "links_url",
        "name": "url",
        "type": "url",
        "required": true,
        "presentable": false,
        "unique": false,
        "options": {
          "exceptDomains": [
            "evil.test"
          ],
          "onlyDomains": null
        }
      },
      {
        "system": false,
        "id": "links_clicks",
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
        "id": "links_ratio",
        "name": "ratio",
        "type": "number",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "min": -1,
          "max": 1.5,
          "noDecimal": false
        }
      },
      {
        "system": false,
        "id": "links_public",
        "name": "public",
        "type": "bool",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {}
      },
      {
        "system": false,
        "id": "links_owner",
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
      },
      {
        "system": false,
        "id": "links_helpers",
        "name": "helpers",
        "type": "relation",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "collectionId": "_pb_users_auth_",
          "cascadeDelete": false,
          "minSelect": null,
          "maxSelect": null,
          "displayFields": null
        }
      },
      {
        "system": false,
        "id": "links_kind",
        "name": "kind",
        "type": "select",
        "required": true,
        "presentable": false,
        "unique": false,
        "options": {
          "maxSelect": 1,
          "values": [
            "web",
            "video",
            "doc"
          ]
        }
      },
      {
        "system": false,
        "id": "links_flags",
        "name": "flags",
        "type": "select",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "maxSelect": 2,
          "values": [
            "nsfw",
            "spoiler",
            "pinned"
          ]
        }
      },
      {
        "system": false,
        "id": "links_expires",
        "name": "expires",
        "type": "date",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "min": "2024-01-01 00:00:00.000Z",
          "max": ""
        }
      },
      {
        "system": false,
        "id": "links_meta",
        "name": "meta",
        "type": "json",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "maxSize": 2000000
        }
      },
      {
        "system": false,
        "id": "links_shot",
        "name": "shot",
        "type": "file",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "mimeTypes": [
            "image/png"
          ],
          "thumbs": [
            "50x50"
          ],
          "maxSelect": 1,
          "maxSize": 1048576,
          "protected": false
        }
      },
      {
        "system": false,
        "id": "links_docs",
        "name": "docs",
        "type": "file",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "mimeTypes": [],
          "thumbs": [],
          "maxSelect": 3,
          "maxSize": 5242880,
          "protected": true
        }
      },
      {
        "system": false,
        "id": "links_notes",
        "name": "notes",
        "type": "editor",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "convertUrls": true
        }
      },
      {
        "system": false,
        "id": "links_contact",
        "name": "contact",
        "type": "email",
        "required": false,
        "presentable": false,
        "unique": false,
        "options": {
          "exceptDomains": null,
          "onlyDomains": [
            "example.com"
          ]
        }
      }
    ],
    "indexes": [
      "CREATE UNIQUE INDEX `idx_links_url` ON `links` (`url`)"
    ],
    "listRule": "public = true || owner = @request.auth.id",
    "viewRule": "public = true || owner = @request.auth.id",
    "createRule": "@request.auth.id != \"\" && @request.data.owner = @request.auth.id",
    "updateRule": "owner = @request.auth.id && @request.data.owner:isset = false",
    "deleteRule": "owner = @request.auth.id",
    "options": {}
  });

  return Dao(db).saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);
  const collection = dao.findCollectionByNameOrId("links0000000001");

  return dao.deleteCollection(collection);
})
