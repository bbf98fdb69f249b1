/// <reference path="../pb_data/types.d.ts" />
migrate((db) => {
  const dao = new Dao(db)
  const collection = dao.findCollectionByNameOrId("wlur0099apvxcwl")

  collection.name = "team"

  return dao.saveCollection(collection)
}, (db) => {
  const dao = new Dao(db)
  const collection = dao.findCollectionByNameOrId("wlur0099apvxcwl")

  collection.name = "staff"

  return dao.saveCollection(collection)
})
