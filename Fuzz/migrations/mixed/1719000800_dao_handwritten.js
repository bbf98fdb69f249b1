/// <reference path="../pb_data/types.d.ts" />
// Hand-written v0.22 (Dao API): field edits through getFieldById/getFieldByName,
// addField replacing in place (same id) and appending (new id), removeField, and a new
// collection built with new Collection + dao.saveCollection. Loose JS on purpose.
migrate((db) => {
  const dao = new Dao(db);
  let links = dao.findCollectionByNameOrId('links');

  const clicks = links.schema.getFieldById("links_clicks");
  clicks.required = false;
  clicks.options.max = 1000000;

  links.schema.getFieldByName("ratio").presentable = true;

  // same id: replaced in place (position kept), options nested under "options"
  links.schema.addField(new SchemaField({
    id: "links_public", name: "public", type: "bool", required: false, presentable: false, options: {},
  }));
  links.schema.addField(new SchemaField({
    system: false, id: "links_lang", name: "lang", type: "select", required: false, presentable: false, unique: false,
    options: { maxSelect: 1, values: ['en', 'de', 'fr', 'es'] },
  }));
  links.schema.removeField("links_helpers");

  links.createRule = "@request.auth.id != '' && @request.data.owner = @request.auth.id && @request.data.clicks:isset = false";
  dao.saveCollection(links);

  /* a new base collection, v0.22 shape */
  const memos = new Collection({
    id: "memos0000000001",
    name: "memos",
    type: "base",
    system: false,
    schema: [
      { system: false, id: "memos_text", name: "text", type: "editor", required: true, presentable: true, unique: false,
        options: { convertUrls: false } },
      { system: false, id: "memos_link", name: "link", type: "relation", required: false, presentable: false, unique: false,
        options: { collectionId: "links0000000001", cascadeDelete: true, minSelect: null, maxSelect: 1, displayFields: ["title", "url"] } },
      { system: false, id: "memos_due", name: "due", type: "date", required: false, presentable: false, unique: false,
        options: { min: "", max: "2099-01-01 00:00:00.000Z" } },
      { system: false, id: "memos_data", name: "data", type: "json", required: false, presentable: false, unique: false,
        options: { maxSize: 0 } },
    ],
    indexes: ["CREATE INDEX `idx_memos_link` ON `memos` (`link`)"],
    listRule: "@request.auth.id != \"\"",
    viewRule: "@request.auth.id != \"\"",
    createRule: "@request.auth.id != \"\"",
    updateRule: null,
    deleteRule: null,
    options: {},
  });

  return dao.saveCollection(memos);
}, (db) => {
  const dao = new Dao(db);
  dao.deleteCollection(dao.findCollectionByNameOrId("memos0000000001"));

  const links = dao.findCollectionByNameOrId("links0000000001");
  links.schema.getFieldById("links_clicks").options.max = null;
  links.schema.getFieldByName("ratio").presentable = false;
  links.schema.removeField("links_lang");
  links.schema.addField(new SchemaField({
    system: false, id: "links_helpers", name: "helpers", type: "relation", required: false, presentable: false, unique: false,
    options: { collectionId: "_pb_users_auth_", cascadeDelete: false, minSelect: null, maxSelect: null, displayFields: null },
  }));
  links.createRule = "@request.auth.id != \"\" && @request.data.owner = @request.auth.id";

  return dao.saveCollection(links);
})
