/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const collection = new Collection({
    "id": "wlur0099apvxcwl",
    "created": "2024-06-22 10:00:06.706Z",
    "updated": "2024-06-22 10:00:06.706Z",
    "name": "staff",
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
  });

  return Dao(db).saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);
  const collection = dao.findCollectionByNameOrId("wlur0099apvxcwl");

  return dao.deleteCollection(collection);
})
