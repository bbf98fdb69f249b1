/// <reference path="../pb_data/types.d.ts" />
// sptfy-devkit reference hooks, guide profile (routes); the logic lives in guide_lib.js.

// Records one click on the link whose id_url is {id_url} (analytics create is superusers-only, so this is the
// app's only way in) and returns what a redirect needs. Guests allowed; blocks apply; no Turnstile.
routerAdd("POST", "/api/sptfy/click/{id_url}", (e) => {
    return require(`${__hooks}/guide_lib.js`).recordClick(e);
});
