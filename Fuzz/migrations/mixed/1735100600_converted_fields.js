/// <reference path="../pb_data/types.d.ts" />
// Hand-written v0.23 edits of fields the conversion produced: the prepended auth system
// fields, converted v0.22 options (noDecimal -> onlyInt, convertUrls -> convertURLs).
migrate((app) => {
  const team = app.findCollectionByNameOrId("team")
  team.fields.getByName("username").required = false        // added by the conversion
  team.fields.getById("password901924565").min = 14          // minPasswordLength 12 -> min
  team.fields.getByName("email").onlyDomains = ["example.com", "example.org"]
  app.save(team)

  const links = app.findCollectionByNameOrId("links0000000001")
  // move an existing field: addAt with its id
  links.fields.addAt(2, new Field({
    id: "links_slug", name: "slug", type: "text", min: 4, max: 48, pattern: "^[a-z0-9-]+$",
  }))
  links.fields.getById("links_clicks").onlyInt = false
  links.fields.getByName("notes").convertURLs = false
  links.fields.addMarshaledJSONAt(5, `{"id": "links_rank", "name": "rank", "type": "number", "min": -10, "max": 10}`)

  return app.save(links)
}, (app) => {
  const links = app.findCollectionByNameOrId("links0000000001")
  links.fields.removeById("links_rank")
  links.fields.getByName("notes").convertURLs = true
  links.fields.getById("links_clicks").onlyInt = true
  links.fields.addAt(13, new Field({
    id: "links_slug", name: "slug", type: "text", min: 4, max: 32, pattern: "^[a-z0-9-]+$",
  }))
  app.save(links)

  const team = app.findCollectionByNameOrId("team")
  team.fields.getByName("username").required = true
  team.fields.getById("password901924565").min = 12
  team.fields.getByName("email").onlyDomains = ["example.com"]

  return app.save(team)
})
