/// <reference path="../pb_data/types.d.ts" />
/* Tokenizer corners, all valid JS that the real binary accepts:
   - "//" and "/*" inside strings are not comments
   - escapes in all three string kinds, non-ASCII text
   - exponent / leading-dot / negative numbers, empty {} and [] */
migrate((app) => {
  const notes = new Collection({
    name: "notes", type: "base",
    listRule: "url ~ 'https://' && title != \"/* not a comment */\"", // a comment after a string with //
    viewRule: 'title != \'it\\\'s\'',
    createRule: null,
    fields: [
      { /* inline */ id: "notes_title", name: "title", type: "text", max: 1e3, pattern: "^[^\\t\\n]*$" },
      { id: "notes_url", name: "url", type: "url", onlyDomains: [], exceptDomains: ["evil.example"] },
      { id: "notes_weight", name: "weight", type: "number", min: -1.5, max: .75e2 },
      { id: "notes_emoji", name: "emoji", type: "select", maxSelect: 2, values: ["ü", "日本", "✓", "a\"b", `c'd`, "e\u00e9"] },
      { id: "notes_when", name: "when", type: "date", min: "", max: "" },
      { id: "notes_author", name: "author", type: "relation", collectionId: "pbc_829252413", maxSelect: 1, cascadeDelete: false },
      { id: "notes_blob", name: "blob", type: "json", maxSize: 0 },
    ],
    indexes: [],
  })
  app.save(notes)

  // a provider with nested "extra" data (arrays and objects inside objects)
  const members = app.findCollectionByNameOrId("members")
  unmarshal({
    oauth2: {
      providers: [
        { name: "github", clientId: "gh-client-id", clientSecret: "gh-secret-not-exported" },
        {
          name: "oidc", clientId: "oidc-id", clientSecret: "oidc-secret",
          authURL: "https://id.example.com/auth", tokenURL: "https://id.example.com/token",
          userInfoURL: "https://id.example.com/userinfo", displayName: "Example ID",
          pkce: true,
          extra: { "x-tenant": "acme", scopes: ["openid", "email"], limits: { retries: 3, backoff: [0.5, 1, 2.5] }, nothing: null },
        },
      ],
    },
  }, members)
  return app.save(members)
}, (app) => {
  const members = app.findCollectionByNameOrId("members")
  unmarshal({ oauth2: { providers: [{ name: "github", clientId: "gh-client-id", clientSecret: "gh-secret-not-exported" }] } }, members)
  app.save(members)

  return app.delete(app.findCollectionByNameOrId("notes"))
})
