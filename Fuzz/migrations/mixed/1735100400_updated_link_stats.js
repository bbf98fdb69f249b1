/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = app.findCollectionByNameOrId("mxg21j72nfkw43s")

  // update collection data
  unmarshal({
    "viewQuery": "SELECT id, title, slug, clicks, kind, owner, created FROM links WHERE public = true"
  }, collection)

  // remove field
  collection.fields.removeById("_clone_nh1I")

  // remove field
  collection.fields.removeById("_clone_Esse")

  // remove field
  collection.fields.removeById("_clone_EF4k")

  // remove field
  collection.fields.removeById("_clone_A2LT")

  // remove field
  collection.fields.removeById("_clone_vCgh")

  // remove field
  collection.fields.removeById("_clone_gaz3")

  // add field
  collection.fields.addAt(1, new Field({
    "autogeneratePattern": "",
    "hidden": false,
    "id": "_clone_6bSG",
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

  // add field
  collection.fields.addAt(2, new Field({
    "autogeneratePattern": "",
    "hidden": false,
    "id": "_clone_r5fH",
    "max": 32,
    "min": 4,
    "name": "slug",
    "pattern": "^[a-z0-9-]+$",
    "presentable": false,
    "primaryKey": false,
    "required": false,
    "system": false,
    "type": "text"
  }))

  // add field
  collection.fields.addAt(3, new Field({
    "hidden": false,
    "id": "_clone_3wAG",
    "max": 1000000,
    "min": 0,
    "name": "clicks",
    "onlyInt": true,
    "presentable": false,
    "required": false,
    "system": false,
    "type": "number"
  }))

  // add field
  collection.fields.addAt(4, new Field({
    "hidden": false,
    "id": "_clone_MFmI",
    "maxSelect": 1,
    "name": "kind",
    "presentable": false,
    "required": true,
    "system": false,
    "type": "select",
    "values": [
      "web",
      "video",
      "doc",
      "audio"
    ]
  }))

  // add field
  collection.fields.addAt(5, new Field({
    "cascadeDelete": true,
    "collectionId": "_pb_users_auth_",
    "hidden": false,
    "id": "_clone_2XpF",
    "maxSelect": 1,
    "minSelect": 0,
    "name": "owner",
    "presentable": false,
    "required": false,
    "system": false,
    "type": "relation"
  }))

  // add field
  collection.fields.addAt(6, new Field({
    "hidden": false,
    "id": "_clone_aal5",
    "name": "created",
    "onCreate": true,
    "onUpdate": false,
    "presentable": false,
    "system": false,
    "type": "autodate"
  }))

  return app.save(collection)
}, (app) => {
  const collection = app.findCollectionByNameOrId("mxg21j72nfkw43s")

  // update collection data
  unmarshal({
    "viewQuery": "SELECT id, title, clicks, kind, owner, created, updated FROM links WHERE public = true"
  }, collection)

  // add field
  collection.fields.addAt(1, new Field({
    "autogeneratePattern": "",
    "hidden": false,
    "id": "_clone_nh1I",
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

  // add field
  collection.fields.addAt(2, new Field({
    "hidden": false,
    "id": "_clone_Esse",
    "max": 1000000,
    "min": 0,
    "name": "clicks",
    "onlyInt": true,
    "presentable": false,
    "required": false,
    "system": false,
    "type": "number"
  }))

  // add field
  collection.fields.addAt(3, new Field({
    "hidden": false,
    "id": "_clone_EF4k",
    "maxSelect": 1,
    "name": "kind",
    "presentable": false,
    "required": true,
    "system": false,
    "type": "select",
    "values": [
      "web",
      "video",
      "doc",
      "audio"
    ]
  }))

  // add field
  collection.fields.addAt(4, new Field({
    "cascadeDelete": true,
    "collectionId": "_pb_users_auth_",
    "hidden": false,
    "id": "_clone_A2LT",
    "maxSelect": 1,
    "minSelect": 0,
    "name": "owner",
    "presentable": false,
    "required": false,
    "system": false,
    "type": "relation"
  }))

  // add field
  collection.fields.addAt(5, new Field({
    "hidden": false,
    "id": "_clone_vCgh",
    "name": "created",
    "onCreate": true,
    "onUpdate": false,
    "presentable": false,
    "system": false,
    "type": "autodate"
  }))

  // add field
  collection.fields.addAt(6, new Field({
    "hidden": false,
    "id": "_clone_gaz3",
    "name": "updated",
    "onCreate": true,
    "onUpdate": true,
    "presentable": false,
    "system": false,
    "type": "autodate"
  }))

  // remove field
  collection.fields.removeById("_clone_6bSG")

  // remove field
  collection.fields.removeById("_clone_r5fH")

  // remove field
  collection.fields.removeById("_clone_3wAG")

  // remove field
  collection.fields.removeById("_clone_MFmI")

  // remove field
  collection.fields.removeById("_clone_2XpF")

  // remove field
  collection.fields.removeById("_clone_aal5")

  return app.save(collection)
})
