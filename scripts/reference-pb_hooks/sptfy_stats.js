// sptfy-devkit reference: GET /api/admin/stats (sptfyin-backend.md §2.5), a CommonJS module for sptfy_routes.pb.js.
// Eleven aggregations over random_short and analytics; `days` 0 (all time), 7, 30 or 90, anything else → 30.

const BROWSER_CASE =
    "CASE WHEN utm_userAgent LIKE '%Instagram%' THEN 'Instagram' " +
    "WHEN utm_userAgent LIKE '%FBAN%' OR utm_userAgent LIKE '%FBAV%' THEN 'Facebook' " +
    "WHEN utm_userAgent LIKE '%Edg%' THEN 'Edge' " +
    "WHEN utm_userAgent LIKE '%Chrome%' AND utm_userAgent NOT LIKE '%Edg%' THEN 'Chrome' " +
    "WHEN utm_userAgent LIKE '%Safari%' AND utm_userAgent NOT LIKE '%Chrome%' AND utm_userAgent NOT LIKE '%Edg%' THEN 'Safari' " +
    "WHEN utm_userAgent LIKE '%Firefox%' THEN 'Firefox' " +
    "WHEN utm_userAgent IS NULL OR utm_userAgent = '' THEN 'Unknown' ELSE 'Other' END";

function adminStats(daysParam) {
    const parsed = parseInt(daysParam || "30", 10);
    const rangeDays = [0, 7, 30, 90].includes(parsed) ? parsed : 30;
    const allTime = rangeDays === 0;

    // UTC midnight of today − (days − 1), compared as text with `created`.
    let since = null;
    if (!allTime) {
        const d = new Date();
        d.setUTCDate(d.getUTCDate() - (rangeDays - 1));
        d.setUTCHours(0, 0, 0, 0);
        since = d.toISOString().replace("T", " ").replace("Z", "");
    }
    const where = allTime ? "" : " WHERE created >= {:since}";

    function query(sql, shape) {
        const rows = arrayOf(new DynamicModel(shape));
        let q = $app.db().newQuery(sql);
        if (!allTime && sql.indexOf("{:since}") >= 0) q = q.bind({ since: since });
        q.all(rows);
        return rows;
    }
    function count(sql) {
        const rows = query(sql, { count: 0 });
        return rows.length > 0 ? rows[0].count : 0;
    }

    const totalLinks = count("SELECT COUNT(*) AS count FROM random_short");
    const linksCreatedInRange = count("SELECT COUNT(*) AS count FROM random_short" + where);
    const clicksInRange = count("SELECT COUNT(*) AS count FROM analytics" + where);

    let aggregation = "day";
    let bucket = "date(created)";
    if (allTime) {
        // A string model: NULL (both tables empty) makes the scan — and the request — fail.
        const earliest = query(
            "SELECT MIN(created) AS earliest FROM (SELECT MIN(created) AS created FROM random_short " +
                "UNION ALL SELECT MIN(created) AS created FROM analytics)",
            { earliest: "" },
        );
        let span = 30;
        if (earliest.length > 0 && earliest[0].earliest) {
            span = Math.ceil((new Date() - new Date(earliest[0].earliest)) / 86400000) + 1;
        }
        if (span > 365) {
            aggregation = "month";
            bucket = "strftime('%Y-%m', created)";
        } else if (span > 90) {
            aggregation = "week";
            bucket = "strftime('%Y-W%W', created)";
        }
    }

    function series(table) {
        const rows = query(
            "SELECT " + bucket + " AS bucket, COUNT(*) AS count FROM " + table + where + " GROUP BY bucket ORDER BY bucket",
            { bucket: "", count: 0 },
        );
        const out = [];
        if (allTime) {
            for (const r of rows) out.push({ date: r.bucket, count: r.count });
            return out;
        }
        const byDay = {};
        for (const r of rows) byDay[r.bucket] = r.count;
        const start = new Date(since + "Z");
        for (let i = 0; i < rangeDays; i++) {
            const d = new Date(start);
            d.setUTCDate(start.getUTCDate() + i);
            const key = d.toISOString().slice(0, 10);
            out.push({ date: key, count: byDay[key] || 0 });
        }
        return out;
    }
    function breakdown(keyExpr, table) {
        const rows = query(
            "SELECT " + keyExpr + " AS key, COUNT(*) AS count FROM " + table + where + " GROUP BY key ORDER BY count DESC LIMIT 10",
            { key: "", count: 0 },
        );
        return rows.map((r) => ({ key: r.key, count: r.count }));
    }

    const topLinks = query(
        "SELECT id, id_url, COALESCE(NULLIF(TRIM(subdomain), ''), 'sptfy.in') AS subdomain, COALESCE(utm_view, 0) AS utm_view, created " +
            "FROM random_short ORDER BY utm_view DESC LIMIT 10",
        { id: "", id_url: "", subdomain: "", utm_view: 0, created: "" },
    ).map((r) => ({ id: r.id, id_url: r.id_url, subdomain: r.subdomain, utm_view: r.utm_view, created: r.created }));
    const topCreators = query(
        "SELECT COALESCE(NULLIF(TRIM(\"user\"), ''), 'guest') AS userId, COUNT(*) AS linksCreated, " +
            "COALESCE(SUM(utm_view), 0) AS totalClicks FROM random_short" + where +
            " GROUP BY userId ORDER BY linksCreated DESC, totalClicks DESC LIMIT 10",
        { userId: "", linksCreated: 0, totalClicks: 0 },
    ).map((r) => ({ userId: r.userId, linksCreated: r.linksCreated, totalClicks: r.totalClicks }));

    return {
        rangeDays: rangeDays,
        aggregation: aggregation,
        generatedAt: new Date().toISOString(),
        summary: {
            totalLinks: totalLinks,
            linksCreatedInRange: linksCreatedInRange,
            clicksInRange: clicksInRange,
            avgClicksPerLink: linksCreatedInRange > 0 ? Math.round((clicksInRange / linksCreatedInRange) * 100) / 100 : 0,
        },
        series: { linksByDay: series("random_short"), clicksByDay: series("analytics") },
        breakdowns: {
            countries: breakdown("COALESCE(UPPER(TRIM(utm_country)), 'UN')", "analytics"),
            browsers: breakdown(BROWSER_CASE, "analytics"),
            subdomains: breakdown("COALESCE(NULLIF(TRIM(subdomain), ''), 'sptfy.in')", "random_short"),
        },
        leaderboards: { topLinks: topLinks, topCreators: topCreators },
    };
}

module.exports = { adminStats };
