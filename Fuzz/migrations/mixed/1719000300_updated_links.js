/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const dao = new Dao(db)
  const collection = dao.findCollectionByNameOrId("links0000000001")

  collection.deleteRule = null
  collection.indexes = [
    "CREATE UNIQUE INDEX `idx_links_url` ON `links` (`url`)",
    "CREATE UNIQUE INDEX `idx_links_slug` ON `links` (`slug`) WHERE `slug` != ''"
  ]

  // remove
  collection.schema.removeField("links_contact")

  // add
  collection.schema.addField(new SchemaField({
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
  }))

  // update
  collection.schema.addField(new SchemaField({
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
  }))

  // update
  collection.schema.addField(new SchemaField({
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
  }))

  return dao.saveCollection(collection)
}, (db) => {
  const dao = new Dao(db)
  const collection = dao.findCollectionByNameOrId("links0000000001")

  collection.deleteRule = "owner = @request.auth.id"
  collection.indexes = [
    "CREATE UNIQUE INDEX `idx_links_url` ON `links` (`url`)"
  ]

  // add
  collection.schema.addField(new SchemaField({
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
  }))

  // remove
  collection.schema.removeField("links_slug")

  // update
  collection.schema.addField(new SchemaField({
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
  }))

  // update
  collection.schema.addField(new SchemaField({
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
  }))

  return dao.saveCollection(collection)
})
