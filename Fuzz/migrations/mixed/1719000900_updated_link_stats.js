/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const dao = new Dao(db)
  const collection = dao.findCollectionByNameOrId("mxg21j72nfkw43s")

  collection.options = {
    "query": "SELECT id, title, clicks, kind, owner, created, updated FROM links WHERE public = true"
  }

  // remove
  collection.schema.removeField("3fswfuvi")

  // remove
  collection.schema.removeField("rcolkkam")

  // remove
  collection.schema.removeField("frxdjsuq")

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "1yesxxr9",
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

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "yh3dmqvy",
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
  }))

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "nazff7sf",
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

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "bokn8xuf",
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
  }))

  return dao.saveCollection(collection)
}, (db) => {
  const dao = new Dao(db)
  const collection = dao.findCollectionByNameOrId("mxg21j72nfkw43s")

  collection.options = {
    "query": "SELECT id, title, clicks, owner, created, updated FROM links WHERE public = true"
  }

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "3fswfuvi",
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

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "rcolkkam",
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
  }))

  // add
  collection.schema.addField(new SchemaField({
    "system": false,
    "id": "frxdjsuq",
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
  }))

  // remove
  collection.schema.removeField("1yesxxr9")

  // remove
  collection.schema.removeField("yh3dmqvy")

  // remove
  collection.schema.removeField("nazff7sf")

  // remove
  collection.schema.removeField("bokn8xuf")

  return dao.saveCollection(collection)
})
