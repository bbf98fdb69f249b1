/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const snapshot = [
    {
      "id": "links0000000001",
      "created": "2024-06-22 10:00:03.357Z",
      "updated": "2024-07-01 09:00:55.643Z",
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
            "max": 300,
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
            "max": 1000000,
            "noDecimal": true
          }
        },
        {
          "system": false,
          "id": "links_ratio",
          "name": "ratio",
          "type": "number",
          "required": false,
          "presentable": true,
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
              "doc",
              "audio"
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
          "id": "links_slug",
          "name": "slug",
          "type": "text",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "min": 4,
            "max": 32,
            "pattern": "^[a-z0-9-]+$"
          }
        },
        {
          "system": false,
          "id": "links_lang",
          "name": "lang",
          "type": "select",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "maxSelect": 1,
            "values": [
              "en",
              "de",
              "fr",
              "es"
            ]
          }
        }
      ],
      "indexes": [
        "CREATE UNIQUE INDEX `idx_links_url` ON `links` (`url`)",
        "CREATE UNIQUE INDEX `idx_links_slug` ON `links` (`slug`) WHERE `slug` != ''"
      ],
      "listRule": "public = true || owner = @request.auth.id",
      "viewRule": "public = true || owner = @request.auth.id",
      "createRule": "@request.auth.id != '' && @request.data.owner = @request.auth.id && @request.data.clicks:isset = false",
      "updateRule": "owner = @request.auth.id && @request.data.owner:isset = false",
      "deleteRule": null,
      "options": {}
    },
    {
      "id": "mxg21j72nfkw43s",
      "created": "2024-06-22 10:00:05.599Z",
      "updated": "2024-07-01 09:00:46.027Z",
      "name": "link_stats",
      "type": "view",
      "system": false,
      "schema": [
        {
          "system": false,
          "id": "cuvtbbug",
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
          "id": "cl5iaq4p",
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
          "id": "ec2romeb",
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
              "doc",
              "audio"
            ]
          }
        },
        {
          "system": false,
          "id": "jsndfntf",
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
        "query": "SELECT id, title, clicks, kind, owner, created, updated FROM links WHERE public = true"
      }
    },
    {
      "id": "wlur0099apvxcwl",
      "created": "2024-06-22 10:00:06.706Z",
      "updated": "2024-07-01 09:00:46.039Z",
      "name": "team",
      "type": "auth",
      "system": false,
      "schema": [
        {
          "system": false,
          "id": "staff_role",
          "name": "role",
          "type": "select",
          "required": true,
          "presentable": false,
          "unique": false,
          "options": {
            "maxSelect": 1,
            "values": [
              "admin",
              "editor",
              "viewer"
            ]
          }
        }
      ],
      "indexes": [],
      "listRule": "@request.auth.collectionName = \"staff\"",
      "viewRule": "@request.auth.collectionName = \"staff\"",
      "createRule": null,
      "updateRule": "id = @request.auth.id",
      "deleteRule": null,
      "options": {
        "allowEmailAuth": true,
        "allowOAuth2Auth": false,
        "allowUsernameAuth": false,
        "exceptEmailDomains": null,
        "manageRule": "@request.auth.role = \"admin\"",
        "minPasswordLength": 12,
        "onlyEmailDomains": [
          "example.com"
        ],
        "onlyVerified": false,
        "requireEmail": true
      }
    },
    {
      "id": "cim33rhdisknmvt",
      "created": "2024-06-25 12:00:37.430Z",
      "updated": "2024-06-25 12:00:37.430Z",
      "name": "popular_links",
      "type": "view",
      "system": false,
      "schema": [
        {
          "system": false,
          "id": "xyvsyrgj",
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
          "id": "z1icffkh",
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
          "id": "fsmfc3hj",
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
    },
    {
      "id": "_pb_users_auth_",
      "created": "2024-07-01 09:00:45.961Z",
      "updated": "2024-07-01 09:00:57.882Z",
      "name": "users",
      "type": "auth",
      "system": false,
      "schema": [
        {
          "system": false,
          "id": "users_name",
          "name": "name",
          "type": "text",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "min": null,
            "max": 120,
            "pattern": ""
          }
        },
        {
          "system": false,
          "id": "users_avatar",
          "name": "avatar",
          "type": "file",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "mimeTypes": [
              "image/jpeg",
              "image/png",
              "image/svg+xml",
              "image/gif",
              "image/webp"
            ],
            "thumbs": null,
            "maxSelect": 1,
            "maxSize": 5242880,
            "protected": false
          }
        },
        {
          "system": false,
          "id": "users_bio",
          "name": "bio",
          "type": "text",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "min": null,
            "max": 160,
            "pattern": ""
          }
        },
        {
          "system": false,
          "id": "users_onboarded",
          "name": "onboarded",
          "type": "bool",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {}
        }
      ],
      "indexes": [],
      "listRule": "id = @request.auth.id || onboarded = true || @request.auth.collectionName = \"team\"",
      "viewRule": "",
      "createRule": "",
      "updateRule": "id = @request.auth.id",
      "deleteRule": "id = @request.auth.id",
      "options": {
        "allowEmailAuth": true,
        "allowOAuth2Auth": true,
        "allowUsernameAuth": true,
        "exceptEmailDomains": [
          "spam.test"
        ],
        "manageRule": null,
        "minPasswordLength": 10,
        "onlyEmailDomains": null,
        "onlyVerified": true,
        "requireEmail": true
      }
    },
    {
      "id": "memos0000000001",
      "created": "2024-07-01 09:00:46.016Z",
      "updated": "2024-07-01 09:00:46.016Z",
      "name": "memos",
      "type": "base",
      "system": false,
      "schema": [
        {
          "system": false,
          "id": "memos_text",
          "name": "text",
          "type": "editor",
          "required": true,
          "presentable": true,
          "unique": false,
          "options": {
            "convertUrls": false
          }
        },
        {
          "system": false,
          "id": "memos_link",
          "name": "link",
          "type": "relation",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "collectionId": "links0000000001",
            "cascadeDelete": true,
            "minSelect": null,
            "maxSelect": 1,
            "displayFields": [
              "title",
              "url"
            ]
          }
        },
        {
          "system": false,
          "id": "memos_due",
          "name": "due",
          "type": "date",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "min": "",
            "max": "2099-01-01 00:00:00.000Z"
          }
        },
        {
          "system": false,
          "id": "memos_data",
          "name": "data",
          "type": "json",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "maxSize": 0
          }
        }
      ],
      "indexes": [
        "CREATE INDEX `idx_memos_link` ON `memos` (`link`)"
      ],
      "listRule": "@request.auth.id != \"\"",
      "viewRule": "@request.auth.id != \"\"",
      "createRule": "@request.auth.id != \"\"",
      "updateRule": null,
      "deleteRule": null,
      "options": {}
    },
    {
      "id": "archive00000001",
      "created": "2024-07-01 09:00:56.760Z",
      "updated": "2024-07-01 09:00:56.760Z",
      "name": "archive",
      "type": "base",
      "system": false,
      "schema": [
        {
          "system": false,
          "id": "archive_note",
          "name": "note",
          "type": "text",
          "required": false,
          "presentable": false,
          "unique": false,
          "options": {
            "min": null,
            "max": 500,
            "pattern": ""
          }
        },
        {
          "system": false,
          "id": "archive_when",
          "name": "when",
          "type": "date",
          "required": true,
          "presentable": false,
          "unique": false,
          "options": {
            "min": "",
            "max": ""
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
    }
  ];

  const collections = snapshot.map((item) => new Collection(item));

  return Dao(db).importCollections(collections, true, null);
}, (db) => {
  return null;
})
