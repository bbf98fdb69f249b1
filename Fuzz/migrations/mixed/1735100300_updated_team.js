/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = app.findCollectionByNameOrId("wlur0099apvxcwl")

  // update collection data
  unmarshal({
    "authToken": {
      "duration": 3600
    },
    "listRule": "@request.auth.collectionName = \"team\"",
    "otp": {
      "enabled": true
    },
    "passwordAuth": {
      "identityFields": [
        "email",
        "username"
      ]
    }
  }, collection)

  return app.save(collection)
}, (app) => {
  const collection = app.findCollectionByNameOrId("wlur0099apvxcwl")

  // update collection data
  unmarshal({
    "authToken": {
      "duration": 1209600
    },
    "listRule": "@request.auth.collectionName = \"staff\"",
    "otp": {
      "enabled": false
    },
    "passwordAuth": {
      "identityFields": [
        "email"
      ]
    }
  }, collection)

  return app.save(collection)
})
