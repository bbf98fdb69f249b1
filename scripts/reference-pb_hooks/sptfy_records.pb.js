/// <reference path="../pb_data/types.d.ts" />
// sptfy-devkit reference hooks (record events); the logic lives in sptfy_lib.js.

onRecordCreateRequest((e) => {
    require(`${__hooks}/sptfy_lib.js`).turnstileGate(e);
    e.next();
}, "random_short");

onRecordCreateRequest((e) => {
    require(`${__hooks}/sptfy_lib.js`).geolocate(e);
    e.next();
}, "analytics");

// No collection tag: production's guard runs for every collection.
onRecordUpdateRequest((e) => {
    require(`${__hooks}/sptfy_lib.js`).protectUpdate(e);
    e.next();
});

onRecordAuthRequest((e) => {
    require(`${__hooks}/sptfy_lib.js`).captureSpotifyID(e);
    e.next();
}, "users");
