/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = app.findCollectionByNameOrId("links0000000001")

  // update collection data
  unmarshal({
    "indexes": [
      "CREATE UNIQUE INDEX `idx_links_url` ON `links` (`url`)",
      "CREATE UNIQUE INDEX `idx_links_slug` ON `links` (`slug`) WHERE `slug` != ''",
      "CREATE INDEX `idx_links_owner` ON `links` (`owner`, `created`)"
    ],
    "updateRule": "owner = @request.auth.id && @request.body.owner:isset = false && @request.body.clicks:isset = false"
  }, collection)

  // remove field
  collection.fields.removeById("links_docs")

  // add field
  collection.fields.addAt(14, new Field({
    "hidden": false,
    "id": "date3636327483",
    "max": "",
    "min": "",
    "name": "last_click",
    "presentable": false,
    "required": false,
    "system": false,
    "type": "date"
  }))

  // update field
  collection.fields.addAt(1, new Field({
    "autogeneratePattern": "",
    "hidden": false,
    "id": "links_title",
    "max": 500,
    "min": 2,
    "name": "title",
    "pattern": "^[^<>]+$",
    "presentable": true,
    "primaryKey": false,
    "required": false,
    "system": false,
    "type": "text"
  }))

  return app.save(collection)
}, (app) => {
  const collection = app.findCollectionByNameOrId("links0000000001")

  // update collection data
  unmarshal({
    "indexes": [
      "CREATE UNIQUE INDEX `idx_links_url` ON `links` (`url`)",
      "CREATE UNIQUE INDEX `idx_links_slug` ON `links` (`slug`) WHERE `slug` != ''"
    ],
    "updateRule": "owner = @request.auth.id && @request.body.owner:isset = false"
  }, collection)

  // add field
  collection.fields.addAt(11, new Field({
    "hidden": false,
    "id": "links_docs",
    "maxSelect": 3,
    "maxSize": 5242880,
    "mimeTypes": null,
    "name": "docs",
    "presentable": false,
    "protected": true,
    "required": false,
    "system": false,
    "thumbs": null,
    "type": "file"
  }))

  // remove field
  collection.fields.removeById("date3636327483")

  // update field
  collection.fields.addAt(1, new Field({
    "autogeneratePattern": "",
    "hidden": false,
    "id": "links_title",
    "max": 300,
    "min": 2,
    "name": "title",
    "pattern": "^[^<>]+$",
    "presentable": true,
    "primaryKey": false,
    "required": true,
    "system": false,
    "type": "text"
  }))

  return app.save(collection)
})
