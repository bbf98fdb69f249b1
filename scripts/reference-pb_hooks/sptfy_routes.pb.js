/// <reference path="../pb_data/types.d.ts" />
// sptfy-devkit reference hooks (routes): /api/admin/stats and /hello/{name}; see sptfy_stats.js.

routerAdd("GET", "/api/admin/stats", (e) => {
    return e.json(200, require(`${__hooks}/sptfy_stats.js`).adminStats(e.request.url.query().get("days")));
});

routerAdd("GET", "/hello/{name}", (e) => {
    const name = e.request.pathValue("name");
    console.log("hello " + name);
    return e.json(200, { message: "Hello " + name });
});
