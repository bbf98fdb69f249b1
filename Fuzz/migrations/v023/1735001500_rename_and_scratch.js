/// <reference path="../pb_data/types.d.ts" />
// Several collections in one migration: rename by assignment, create + delete a scratch
// collection, change a field that the tag_labels view selects (the view is re-derived).
migrate((app) => {
  // rename (the table is renamed, the id stays pbc_829252413)
  const staff = app.findCollectionByNameOrId("staff");
  staff.name = "employees";
  staff.indexes = [];  // PocketBase re-adds the tokenKey/email indexes, now naming `employees`
  app.save(staff);

  let scratch = new Collection({ name: "scratch", type: "base", fields: [{ name: "n", type: "number" }] });
  app.save(scratch);
  app.delete(app.findCollectionByNameOrId("scratch"));

  const tags = app.findCollectionByNameOrId("tags");
  const label = tags.fields.getByName("label");
  label.max = 48;
  label.presentable = true;
  return app.save(tags);
}, (app) => {
  const tags = app.findCollectionByNameOrId("tags");
  tags.fields.getByName("label").max = 80;
  tags.fields.getByName("label").presentable = false;
  app.save(tags);

  const staff = app.findCollectionByNameOrId("pbc_829252413");
  staff.name = "staff";
  return app.save(staff);
})
