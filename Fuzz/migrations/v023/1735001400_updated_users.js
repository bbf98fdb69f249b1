/// <reference path="../pb_data/types.d.ts" />
// unmarshal(...) deep-merges into the existing collection: nested objects (oauth2, otp,
// templates) keep the keys that are not given; arrays (identityFields, indexes) are replaced.
migrate((app) => {
  const users = app.findCollectionByNameOrId("_pb_users_auth_");

  unmarshal({
    "listRule": "id = @request.auth.id || @request.auth.collectionName = 'members'",
    "oauth2": {
      "enabled": true,
      "mappedFields": { "username": "username" }, // id/name/avatarURL stay as they are
    },
    "passwordAuth": { "identityFields": ["email", "username"] },
    "otp": { "duration": 600 },
    "authToken": { "duration": 2592000 },
    "resetPasswordTemplate": { "subject": "[acme] Reset your {APP_NAME} password" },
  }, users);

  // system fields can be changed too
  users.fields.getByName("email").required = false;
  users.fields.getByName("emailVisibility").hidden = true;
  users.fields.getById("text1579384326").max = 100; // name

  users.fields.addAt(6, new Field({
    "id": "text4166911607",
    "type": "text",
    "name": "username",
    "required": true,
    "presentable": true,
    "min": 3,
    "max": 150,
    "pattern": "^[\\w][\\w\\.\\-]*$",
    "autogeneratePattern": "users[0-9]{6}",
  }));
  users.fields.add(new Field({ "type": "bool", "name": "onboarded" }));
  users.fields.add(new Field({ "type": "text", "name": "bio", "max": 160 }));

  users.indexes = [
    "CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)",
    "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''",
    "CREATE UNIQUE INDEX `idx_username__pb_users_auth_` ON `users` (username COLLATE NOCASE)",
  ];

  return app.save(users);
}, (app) => {
  const users = app.findCollectionByNameOrId("users");

  unmarshal({
    "listRule": "id = @request.auth.id",
    "oauth2": { "enabled": false, "mappedFields": { "username": "" } },
    "passwordAuth": { "identityFields": ["email"] },
    "otp": { "duration": 180 },
    "authToken": { "duration": 604800 },
    "resetPasswordTemplate": { "subject": "Reset your {APP_NAME} password" },
    "indexes": [
      "CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)",
      "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''",
    ],
  }, users);

  users.fields.removeById("text4166911607");
  users.fields.removeById("bool1037461412");
  users.fields.removeById("text3709889147");
  users.fields.getByName("email").required = true;
  users.fields.getByName("emailVisibility").hidden = false;
  users.fields.getById("text1579384326").max = 255;

  return app.save(users);
})
