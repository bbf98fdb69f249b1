/// <reference path="../pb_data/types.d.ts" />
// sptfy-devkit reference hooks, guide profile (record events); the logic lives in guide_lib.js.

// Link creation: blocks first (403), then Turnstile (400), then the create rule and validation.
onRecordCreateRequest((e) => {
    const lib = require(`${__hooks}/guide_lib.js`);
    lib.blockGate(e);
    lib.turnstileGate(e);
    e.next();
}, "random_short");

// random_short keeps production's rules (update `""`), so it keeps production's update guard, here limited
// to random_short (the guide lets users update their own name/avatar).
onRecordUpdateRequest((e) => {
    require(`${__hooks}/guide_lib.js`).protectUpdate(e);
    e.next();
}, "random_short");

// analytics.ip is hashed before storage, on every save path (the click route, superuser API calls, fixtures);
// country_code is looked up from the raw IP first when empty.
onRecordCreate((e) => {
    require(`${__hooks}/guide_lib.js`).prepareAnalyticsCreate(e);
    e.next();
}, "analytics");

onRecordUpdate((e) => {
    require(`${__hooks}/guide_lib.js`).prepareAnalyticsUpdate(e);
    e.next();
}, "analytics");
