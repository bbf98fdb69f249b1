/// <reference path="../pb_data/types.d.ts" />
// Hand-written auth collection: partial auth options (the rest take defaults),
// no system fields given (PocketBase adds id/password/tokenKey/email/emailVisibility/verified),
// a relation back to posts, back-tick multi-line template bodies.
migrate((app) => {
  let members = new Collection({
    "type": "auth",
    "name": "members",
    // no id: PocketBase derives "pbc_" + crc32(name)
    "listRule": "id = @request.auth.id",
    "viewRule": "id = @request.auth.id",
    "createRule": "",
    "updateRule": "id = @request.auth.id",
    "deleteRule": null,
    "authRule": "verified = true",
    "manageRule": null,
    "fields": [
      { "id": "members_handle", "name": "handle", "type": "text", "required": true, "presentable": true,
        "min": 2, "max": 32, "pattern": "^[a-z][a-z0-9_]*$" },
      { "id": "members_favorite", "name": "favorite", "type": "relation", "collectionId": "pbc_posts000001",
        "cascadeDelete": true, "minSelect": 0, "maxSelect": 1, "required": false },
      { "id": "members_level", "name": "level", "type": "number", "min": 0, "max": null, "onlyInt": true },
    ],
    "indexes": ["CREATE UNIQUE INDEX idx_members_handle ON members (handle)"],
    "passwordAuth": { "enabled": true, "identityFields": ["email", "handle"] },
    "oauth2": {
      "enabled": true,
      "mappedFields": { "id": "", "name": "handle", "username": "", "avatarURL": "" },
      "providers": [
        { "name": "github", "clientId": "gh-client-id", "clientSecret": "gh-secret-not-exported" },
      ],
    },
    "mfa": { "enabled": true, "duration": 900, "rule": "@request.context != 'oauth2'" },
    "otp": {
      "enabled": true, "duration": 120, "length": 6,
      "emailTemplate": {
        "subject": "Your {APP_NAME} code",
        "body": `<p>Code: <strong>{OTP}</strong></p>
<p>It expires soon.</p>`,
      },
    },
    "authAlert": { "enabled": false },
    "authToken": { "duration": 1209600 },
    "passwordResetToken": { "duration": 3600 },
    "emailChangeToken": { "duration": 3600 },
    "verificationToken": { "duration": 86400 },
    "fileToken": { "duration": 60 },
    "verificationTemplate": {
      "subject": "Welcome to {APP_NAME}",
      "body": '<p>Hi!</p>\n<p><a href="{APP_URL}/verify/{TOKEN}">Verify</a></p>',
    },
  });

  return app.save(members);
}, (app) => {
  return app.delete(app.findCollectionByNameOrId("members"));
})
