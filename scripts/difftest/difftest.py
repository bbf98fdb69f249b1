#!/usr/bin/env python3
"""difftest: a seeded, generated differential tester for PocketBase-compatible servers.

It builds a random but seed-determined world (collections of every PocketBase 0.23 field type with random
options, view collections with expressions and aggregates, an auth collection with a manageRule, records full
of edge values), then sends the same generated request sequence to server A (the reference PocketBase
0.23.12) and server B (sptfy-dev), compares the responses after normalising what is legitimately random
(timestamps, tokens, stored file names, @random order), and reports every divergence reduced to the
smallest request that still diverges.

    difftest.py --a http://127.0.0.1:19100 --b http://127.0.0.1:19200 --seed 1 --requests 3000

Same seed -> same request sequence. The sequence is generated up front from the seed alone (never from
responses), so it can be printed with --dry-run. Dates near "now" (@todayEnd, @monthEnd, ... boundary
values) are computed from the UTC day the run starts; everything else is fixed by the seed.

Standard library only. Exit status: 0 no divergence, 1 divergences found, 2 usage/setup error.
"""

from __future__ import annotations

import argparse
import base64
import calendar
import datetime as dt
import http.client
import json
import random
import re
import signal
import struct
import sys
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable, Optional

# ----------------------------------------------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------------------------------------------

# The sptfy.in update hook guards these names on every collection (non-superuser updates fail), so generated
# collections never use them: a guard hit would hide whatever else the request was testing.
GUARDED_NAMES = {"name", "from", "id_url", "subdomain", "enable", "analytics", "utm_userAgent", "utm_view"}

ALL_OPS = ["=", "!=", ">", ">=", "<", "<=", "~", "!~", "?=", "?!=", "?>", "?>=", "?<", "?<=", "?~", "?!~"]
DATE_MACROS = ["@now", "@todayStart", "@todayEnd", "@monthStart", "@monthEnd", "@yearStart", "@yearEnd",
               "@yesterday", "@tomorrow"]
NUMBER_MACROS = ["@second", "@minute", "@hour", "@weekday", "@day", "@month", "@year"]
ALL_MACROS = DATE_MACROS + NUMBER_MACROS

SELECT_VALUES = ["a", "b", "c", "red", "green", "blue", "ünï", "x y", "A"]
TEXT_PATTERNS = ["", "", "", "", "^[a-z0-9]+$", "^[\\w][\\w\\.\\-]*$", "^\\S+$", "[0-9]", "^.{0,8}$"]
MIME_CHOICES = [[], [], ["text/plain"], ["image/png"], ["image/png", "text/plain"], ["application/json"]]
PASSWORD = "password123"

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$")
JWT_RE = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# Stored upload names: snake_case(base) + "_" + 10 random [a-z0-9] + extension (PocketBase's pattern).
FILE_RE = re.compile(r"([A-Za-z0-9_]+?)_[a-z0-9]{10}(\.[A-Za-z0-9]+)")
CLONE_ID_RE = re.compile(r"^_clone_[A-Za-z0-9]{4}$")   # view fields copied from a table get a random id
RECORD_ID_RE = re.compile(r"^[a-z0-9]{15}$")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fail(msg: str) -> None:
    """Setup/usage error: exit 2, so callers can tell it from "divergences found" (exit 1)."""
    log(f"difftest: error: {msg}")
    sys.exit(2)


# ----------------------------------------------------------------------------------------------------------------
# Filter expressions: generated as a small AST so the reducer can shrink them to a sub-expression.
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Cmp:
    """One comparison `left op right`; operands are raw fexpr tokens (identifier, literal, macro)."""
    left: str
    op: str
    right: str

    def render(self) -> str:
        return f"{self.left} {self.op} {self.right}"

    def leaves(self) -> int:
        return 1


@dataclass
class Join:
    """`a && b || c ...` (ops[i] joins items[i] and items[i+1]); grouped = wrapped in parentheses."""
    items: list
    ops: list
    grouped: bool = False

    def render(self) -> str:
        out = self.items[0].render()
        for op, item in zip(self.ops, self.items[1:]):
            out += f" {op} {item.render()}"
        return f"({out})" if self.grouped else out

    def leaves(self) -> int:
        return sum(i.leaves() for i in self.items)


@dataclass
class RawFilter:
    """Text that is not a well-formed comparison (syntax junk, NUL outside a string)."""
    text: str

    def render(self) -> str:
        return self.text

    def leaves(self) -> int:
        return 1


def filter_subexpressions(node) -> list:
    """Every smaller filter the reducer may try instead of `node`: each sub-node on its own, and each
    join with one item (and its joining operator) removed."""
    out = []
    if isinstance(node, Join):
        for item in node.items:
            out.append(item)
            out.extend(filter_subexpressions(item))
        if len(node.items) > 1:
            for i in range(len(node.items)):
                items = node.items[:i] + node.items[i + 1:]
                ops = node.ops[:max(i - 1, 0)] + node.ops[i:] if i > 0 else node.ops[1:]
                out.append(Join(items, ops, node.grouped) if len(items) > 1 else items[0])
    return out


# ----------------------------------------------------------------------------------------------------------------
# World model: collections, fields, records (all ids explicit and seed-determined)
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    type: str
    id: str
    opts: dict = dc_field(default_factory=dict)
    hidden: bool = False
    presentable: bool = False

    @property
    def multi(self) -> bool:
        return self.type in ("select", "relation", "file") and (self.opts.get("maxSelect") or 1) > 1

    def to_json(self) -> dict:
        d = {"id": self.id, "name": self.name, "type": self.type, "hidden": self.hidden,
             "presentable": self.presentable}
        d.update(self.opts)
        return d


@dataclass
class Coll:
    name: str
    type: str                      # base | auth | view
    id: str
    fields: list = dc_field(default_factory=list)
    rules: dict = dc_field(default_factory=dict)
    extra: dict = dc_field(default_factory=dict)     # auth options, viewQuery, indexes
    view_cols: list = dc_field(default_factory=list)  # views: [(column, kind)] kind in text/number/json/date/bool
    view_id_source: Optional[str] = None             # views: collection whose ids the view exposes, or "rownum"
    ids: list = dc_field(default_factory=list)        # every record id ever generated for it (created or not)
    create_reqs: dict = dc_field(default_factory=dict)  # record id -> the request that created it

    def field(self, name: str) -> Optional[Field]:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def fields_of(self, *types: str) -> list:
        return [f for f in self.fields if f.type in types]

    def to_json(self) -> dict:
        d = {"id": self.id, "name": self.name, "type": self.type}
        d.update(self.rules)
        if self.type != "view":
            d["fields"] = [f.to_json() for f in self.fields]
        d.update(self.extra)
        return d


class World:
    """Everything the generator knows. It changes only as the generator decides (never from responses)."""

    def __init__(self, rng: random.Random, anchor: dt.datetime):
        self.rng = rng
        self.anchor = anchor
        self.colls: list[Coll] = []
        self.roles: dict[str, dict] = {}            # role -> {"id", "email", "username"}
        self.protected_ids: set = set()             # role users: never deleted nor re-passworded
        self.boundary_dates = boundary_dates(anchor)
        self.sent_dates: set = set(self.boundary_dates)

    def coll(self, name: str) -> Coll:
        for c in self.colls:
            if c.name == name:
                return c
        raise KeyError(name)

    def by_id(self, cid: str) -> Optional[Coll]:
        for c in self.colls:
            if c.id == cid:
                return c
        return None

    def new_id(self) -> str:
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(15))

    def back_relations(self, target: Coll) -> list:
        """[(coll, relation field)] of relation fields in other collections pointing at `target`."""
        out = []
        for c in self.colls:
            if c.type == "view":
                continue
            for f in c.fields_of("relation"):
                if f.opts.get("collectionId") == target.id:
                    out.append((c, f))
        return out


def fmt_date(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def boundary_dates(anchor: dt.datetime) -> list:
    """Dates exactly at and around the datetime macros' boundaries for the run's UTC day/month/year."""
    day0 = anchor.replace(hour=0, minute=0, second=0, microsecond=0)
    month0 = day0.replace(day=1)
    last_day = calendar.monthrange(day0.year, day0.month)[1]
    month_end_day = day0.replace(day=last_day)
    year0 = day0.replace(month=1, day=1)
    ms = dt.timedelta(milliseconds=1)
    sec = dt.timedelta(seconds=1)
    day = dt.timedelta(days=1)
    points = [day0, day0 + day, month0, month_end_day + day, year0, year0.replace(year=year0.year + 1), day0 - day]
    out = []
    for p in points:
        for off in (-sec, -ms, dt.timedelta(0), ms, sec):
            out.append(fmt_date(p + off))
        out.append(fmt_date(p - day + dt.timedelta(hours=23, minutes=59, seconds=59)))  # xx:59:59.000 the day before
    seen, uniq = set(), []
    for s in out:
        if s not in seen:
            seen.add(s)
            uniq.append(s)
    return uniq


FIXED_DATES = ["2024-02-29 12:00:00.000Z", "2023-12-31 23:59:59.999Z", "2024-01-01 00:00:00.000Z",
               "2024-03-31 23:59:59.999Z", "2024-04-01 00:00:00.000Z", "1970-01-01 00:00:00.000Z",
               "2099-12-31 23:59:59.999Z", "0001-01-01 00:00:00.000Z"]
ODD_DATES = ["2024-01-02", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05+02:00", "2024-01-02 03:04:05",
             "1700000000", 1700000000, "", None, "not a date", "2024-13-45 99:99:99.000Z", "2024-02-30"]


# ----------------------------------------------------------------------------------------------------------------
# Schema generation
# ----------------------------------------------------------------------------------------------------------------

def gen_field_id(rng: random.Random) -> str:
    return "dtf" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(9))


def gen_coll_id(rng: random.Random) -> str:
    return "dtc" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))


def random_field(rng: random.Random, name: str, ftype: str, world: World, targets: list) -> Field:
    """A field of `ftype` with random options (within what PocketBase accepts)."""
    o: dict = {}
    if ftype == "text":
        o = {"min": rng.choice([0, 0, 0, 2, 3]), "max": rng.choice([0, 0, 10, 50, 5000]),
             "pattern": rng.choice(TEXT_PATTERNS), "required": rng.random() < 0.12, "primaryKey": False,
             # no random autogeneratePattern: its values differ per server, and sorting by them reorders rows
             "autogeneratePattern": ""}
        if o["max"] and o["min"] > o["max"]:
            o["min"] = 0
    elif ftype == "number":
        lo, hi = rng.choice([None, None, 0, -100, 1]), rng.choice([None, None, 100, 1000000])
        o = {"min": lo, "max": hi, "onlyInt": rng.random() < 0.3, "required": rng.random() < 0.1}
    elif ftype == "bool":
        o = {"required": rng.random() < 0.1}
    elif ftype in ("email", "url"):
        dom = rng.choice([(None, None), (None, None), (["example.com", "test.org"], None), (None, ["blocked.net"])])
        o = {"onlyDomains": dom[0], "exceptDomains": dom[1], "required": rng.random() < 0.1}
    elif ftype == "editor":
        o = {"maxSize": rng.choice([0, 0, 100]), "convertURLs": rng.random() < 0.3, "required": rng.random() < 0.1}
    elif ftype == "date":
        o = {"min": rng.choice(["", "", "2000-01-01 00:00:00.000Z"]),
             "max": rng.choice(["", "", "2099-12-31 23:59:59.999Z", "2030-01-01 00:00:00.000Z"]),
             "required": rng.random() < 0.1}
    elif ftype == "autodate":
        on = rng.choice([(True, False), (True, True), (False, True)])
        o = {"onCreate": on[0], "onUpdate": on[1]}
    elif ftype == "select":
        values = rng.sample(SELECT_VALUES, rng.randint(2, 5))
        o = {"values": values, "maxSelect": rng.choice([1, 1, len(values)]), "required": rng.random() < 0.1}
    elif ftype == "json":
        o = {"maxSize": rng.choice([0, 0, 0, 64, 2000]), "required": rng.random() < 0.08}
    elif ftype == "file":
        o = {"maxSelect": rng.choice([1, 1, 3]), "maxSize": rng.choice([0, 0, 50, 100000]),
             "mimeTypes": rng.choice(MIME_CHOICES), "thumbs": rng.choice([[], [], ["50x50"], ["0x20", "20x0"]]),
             "protected": rng.random() < 0.2, "required": False}
    elif ftype == "relation":
        target = rng.choice(targets)
        max_select = rng.choice([1, 1, rng.randint(2, 5)])
        o = {"collectionId": target.id, "maxSelect": max_select,
             "minSelect": 1 if max_select > 1 and rng.random() < 0.2 else 0,
             "cascadeDelete": rng.random() < 0.3, "required": rng.random() < 0.1}
    return Field(name, ftype, gen_field_id(rng), o, hidden=rng.random() < 0.08, presentable=rng.random() < 0.3)


def rule_pool(c: Coll, world: World, action: str) -> list:
    """Candidate API rules for `c`: public, superuser-only and expressions over auth / owners / body."""
    people = world.coll("dt_people")
    manager = world.roles["manager"]["id"]
    pool: list = ["", "", None, "@request.auth.id != ''", f"@request.auth.collectionName = '{people.name}'",
                  "@request.auth.role = 'manager'", f"@request.auth.id = '{manager}'"]
    for f in c.fields_of("relation"):
        if f.opts["collectionId"] == people.id and not f.multi:
            pool += [f"{f.name} = @request.auth.id", f"{f.name} = @request.auth.id || @request.auth.role = 'manager'",
                     f"{f.name}.role = 'member'"]
        elif f.opts["collectionId"] == people.id:
            pool.append(f"{f.name}.id ?= @request.auth.id")
        else:
            target = world.by_id(f.opts["collectionId"])
            owner = target.field("owner") if target else None
            if owner is not None and not f.multi:
                pool.append(f"{f.name}.owner = @request.auth.id")
    for f in c.fields_of("bool"):
        pool.append(f"{f.name} = true || @request.auth.id != ''")
    if action in ("create", "update"):
        texts = c.fields_of("text")
        if texts:
            pool.append(f"@request.body.{texts[0].name}:isset = true")
            pool.append(f"@request.body.{texts[0].name} != 'forbidden'")
        owner = c.field("owner")
        if owner is not None and owner.type == "relation" and not owner.multi:
            pool.append("@request.body.owner = @request.auth.id")
    if action in ("list", "view"):
        pool.append("@request.query.dtq != 'hide' || @request.auth.id != ''")
        pool.append("@request.headers.x_dt != 'deny'")
    return pool


def pick_rules(rng: random.Random, c: Coll, world: World) -> dict:
    rules = {}
    for action in ("list", "view", "create", "update", "delete"):
        pool = rule_pool(c, world, action)
        # Lists and views are public more often so that most reads have something to compare.
        if action in ("list", "view") and rng.random() < 0.45:
            rules[action + "Rule"] = ""
        else:
            rules[action + "Rule"] = rng.choice(pool)
    return rules


EXTRA_NAMES = ["title", "body", "info", "score", "qty", "flag", "active", "contact", "site", "html", "when",
               "due", "stamp", "kind", "labels", "payload", "doc", "docs", "note", "code", "slug", "price",
               "level", "label", "color", "extra", "config", "ref", "refs", "summary", "seen_at"]
ALL_TYPES = ["text", "number", "bool", "email", "url", "editor", "date", "autodate", "select", "json", "file",
             "relation"]


def build_world(seed: int, anchor: dt.datetime) -> World:
    rng = random.Random(seed)
    world = World(rng, anchor)

    # --- auth collection with a manageRule; its first three records are the test roles
    people = Coll("dt_people", "auth", gen_coll_id(rng))
    world.colls.append(people)
    for role in ("user1", "user2", "manager"):
        world.roles[role] = {"id": world.new_id(), "email": f"{role}@example.com", "username": f"{role}_dt"}
        world.protected_ids.add(world.roles[role]["id"])
    uname = Field("username", "text", gen_field_id(rng),
                  {"min": 3, "max": 150, "pattern": "^[\\w][\\w\\.\\-]*$", "required": False, "primaryKey": False,
                   "autogeneratePattern": "dt[0-9]{6}"})
    people.fields = [uname,
                     Field("role", "select", gen_field_id(rng), {"values": ["member", "manager"], "maxSelect": 1,
                                                                 "required": False}),
                     random_field(rng, "nick", "text", world, []),
                     random_field(rng, "bio", "editor", world, []),
                     random_field(rng, "avatar", "file", world, []),
                     Field("created", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": False}),
                     Field("updated", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": True})]
    people.fields[2].hidden = rng.random() < 0.3
    manage = rng.choice([f"@request.auth.id = '{world.roles['manager']['id']}'", "@request.auth.role = 'manager'"])
    people.rules = {"listRule": rng.choice(["", "", "@request.auth.id != ''"]),
                    "viewRule": rng.choice(["", "", "@request.auth.id != ''"]),
                    "createRule": "", "updateRule": rng.choice(["id = @request.auth.id", f"id = @request.auth.id || {manage}"]),
                    "deleteRule": "id = @request.auth.id"}
    people.extra = {"manageRule": manage, "authRule": "",
                    "passwordAuth": {"enabled": True, "identityFields": ["email", "username"]},
                    "indexes": ["CREATE UNIQUE INDEX idx_dt_people_username ON dt_people (username)"]}

    # --- fixed-shape base collections (field options random) so views and rules have known columns
    tags = Coll("dt_tags", "base", gen_coll_id(rng))
    world.colls.append(tags)
    tags.fields = [random_field(rng, "title", "text", world, []),
                   random_field(rng, "color", "select", world, []),
                   random_field(rng, "weight", "number", world, []),
                   random_field(rng, "meta", "json", world, []),
                   Field("created", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": False}),
                   Field("updated", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": True})]
    for f in tags.fields:   # tags are relation targets: keep them easy to create
        if "required" in f.opts:
            f.opts["required"] = False

    posts = Coll("dt_posts", "base", gen_coll_id(rng))
    world.colls.append(posts)
    posts.fields = [
        Field("owner", "relation", gen_field_id(rng), {"collectionId": people.id, "maxSelect": 1, "minSelect": 0,
                                                       "cascadeDelete": rng.random() < 0.5, "required": False}),
        random_field(rng, "title", "text", world, []),
        random_field(rng, "body", "editor", world, []),
        random_field(rng, "meta", "json", world, []),
        random_field(rng, "score", "number", world, []),
        random_field(rng, "flag", "bool", world, []),
        random_field(rng, "contact", "email", world, []),
        random_field(rng, "site", "url", world, []),
        random_field(rng, "due", "date", world, []),
        random_field(rng, "stamp", "autodate", world, []),
        Field("kind", "select", gen_field_id(rng), {"values": ["a", "b", "c"], "maxSelect": 1, "required": False}),
        random_field(rng, "labels", "select", world, []),
        Field("tags", "relation", gen_field_id(rng), {"collectionId": tags.id, "maxSelect": rng.randint(2, 4),
                                                      "minSelect": 0, "cascadeDelete": False, "required": False}),
        random_field(rng, "doc", "file", world, []),
        Field("docs", "file", gen_field_id(rng), {"maxSelect": 3, "maxSize": 0, "mimeTypes": rng.choice(MIME_CHOICES),
                                                  "thumbs": [], "protected": rng.random() < 0.2, "required": False}),
        Field("secret", "text", gen_field_id(rng), {"min": 0, "max": 0, "pattern": "", "required": False,
                                                    "primaryKey": False, "autogeneratePattern": ""}, hidden=True),
        Field("created", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": False}),
        Field("updated", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": True})]
    posts.fields[2].hidden = False
    posts.fields[3].hidden = False
    posts.extra = {"indexes": []}
    if rng.random() < 0.5:
        posts.extra["indexes"].append("CREATE INDEX idx_dt_posts_title ON dt_posts (title)")

    comments = Coll("dt_comments", "base", gen_coll_id(rng))
    world.colls.append(comments)
    comments.fields = [
        Field("post", "relation", gen_field_id(rng), {"collectionId": posts.id, "maxSelect": 1, "minSelect": 0,
                                                      "cascadeDelete": rng.random() < 0.5, "required": False}),
        Field("author", "relation", gen_field_id(rng), {"collectionId": people.id, "maxSelect": 1, "minSelect": 0,
                                                        "cascadeDelete": False, "required": False}),
        random_field(rng, "note", "text", world, []),
        random_field(rng, "rating", "number", world, []),
        Field("created", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": False})]
    comments.extra = {"indexes": []}
    if rng.random() < 0.4:   # a unique back-relation field: `dt_comments_via_post` expands to one object
        comments.extra["indexes"].append("CREATE UNIQUE INDEX idx_dt_comments_post ON dt_comments (post)")

    # --- random extra collections: random names, random subsets of every type
    for k in range(rng.randint(1, 2)):
        c = Coll(f"dt_x{k}", "base", gen_coll_id(rng))
        names = rng.sample(EXTRA_NAMES, 8)
        types = rng.sample(ALL_TYPES, 8)
        targets = [x for x in world.colls if x.type != "view"]
        c.fields = [random_field(rng, n, t, world, targets) for n, t in zip(names, types)]
        c.fields.append(Field("created", "autodate", gen_field_id(rng), {"onCreate": True, "onUpdate": False}))
        c.extra = {"indexes": []}
        world.colls.append(c)

    for c in world.colls:
        if c.type == "base":
            c.rules = pick_rules(rng, c, world)
    for c in world.colls:   # no guarded names anywhere
        assert not any(f.name in GUARDED_NAMES for f in c.fields), c.name

    build_views(rng, world)
    return world


def build_views(rng: random.Random, world: World) -> None:
    posts, people = world.coll("dt_posts"), world.coll("dt_people")
    view_rule = lambda: rng.choice(["", "", None, "@request.auth.id != ''"])

    # 1. per-post aggregates over a LEFT JOIN, plus numeric/CAST/json_extract expressions
    exprs = [("p.title", "title", "text"),
             ("COUNT(c.id)", "n_comments", "number"),
             ("SUM(c.rating)", "rating_sum", "number"),
             ("TOTAL(c.rating)", "rating_total", "number"),
             ("(p.score * 2)", "score2", "number"),
             ("p.score+1", "score_plus", "number"),
             ("CAST(p.score AS INTEGER)", "score_int", "number"),
             ("CAST(p.score AS REAL)", "score_real", "number"),
             ("CAST(p.score AS TEXT)", "score_text", "text"),
             ("json_extract(p.meta, '$.a')", "meta_a", "json"),
             ("length(p.title)", "title_len", "number"),
             ("p.flag", "flag", "bool"),
             ("p.due", "due", "date"),
             ("p.created", "created", "date"),
             ("MAX(c.created)", "last_comment", "date")]
    chosen = [exprs[0], exprs[1]] + rng.sample(exprs[2:], rng.randint(5, len(exprs) - 2))
    sel = ", ".join(f"{e} AS {a}" for e, a, _ in chosen)
    v1 = Coll("dt_v_post_stats", "view", gen_coll_id(rng))
    v1.extra = {"viewQuery": f"SELECT p.id, {sel} FROM dt_posts p LEFT JOIN dt_comments c ON c.post = p.id "
                             f"GROUP BY p.id"}
    v1.view_cols = [("id", "text")] + [(a, k) for _, a, k in chosen]
    v1.view_id_source = posts.name
    v1.rules = {"listRule": view_rule(), "viewRule": view_rule()}

    # 2. GROUP BY a select value with a ROW_NUMBER id
    v2 = Coll("dt_v_kinds", "view", gen_coll_id(rng))
    v2.extra = {"viewQuery": "SELECT (ROW_NUMBER() OVER()) AS id, kind, COUNT(*) AS total, SUM(score) AS score_sum, "
                             "CAST(AVG(score) AS REAL) AS score_avg, MAX(due) AS last_due FROM dt_posts GROUP BY kind"}
    v2.view_cols = [("id", "number"), ("kind", "text"), ("total", "number"), ("score_sum", "number"),
                    ("score_avg", "number"), ("last_due", "date")]
    v2.view_id_source = "rownum"
    v2.rules = {"listRule": view_rule(), "viewRule": view_rule()}

    # 3. auth owners joined with their posts (exposes an auth collection through a view)
    v3 = Coll("dt_v_owners", "view", gen_coll_id(rng))
    v3.extra = {"viewQuery": "SELECT u.id, u.username, u.email, COUNT(p.id) AS posts, TOTAL(p.score) AS total_score, "
                             "MAX(p.created) AS last_post, CAST(COUNT(p.id) AS TEXT) AS posts_text "
                             "FROM dt_people u LEFT JOIN dt_posts p ON p.owner = u.id GROUP BY u.id"}
    v3.view_cols = [("id", "text"), ("username", "text"), ("email", "text"), ("posts", "number"),
                    ("total_score", "number"), ("last_post", "date"), ("posts_text", "text")]
    v3.view_id_source = people.name
    v3.rules = {"listRule": view_rule(), "viewRule": view_rule()}

    # 4. plain projection with json_extract over the tags' json and an IIF
    v4 = Coll("dt_v_tags", "view", gen_coll_id(rng))
    v4.extra = {"viewQuery": "SELECT t.id, t.title, t.weight, json_extract(t.meta, '$.a') AS meta_a, "
                             "json_extract(t.meta, '$') AS meta_all, IIF(t.weight > 10, 'big', 'small') AS size, "
                             "(t.weight * 1.5) AS weight15, CAST(t.weight AS NUMERIC) AS weight_num FROM dt_tags t"}
    v4.view_cols = [("id", "text"), ("title", "text"), ("weight", "number"), ("meta_a", "json"),
                    ("meta_all", "json"), ("size", "text"), ("weight15", "number"), ("weight_num", "number")]
    v4.view_id_source = "dt_tags"
    v4.rules = {"listRule": view_rule(), "viewRule": view_rule()}
    world.colls += [v1, v2, v3, v4]


# ----------------------------------------------------------------------------------------------------------------
# Requests
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Part:
    name: str
    value: str = ""
    filename: Optional[str] = None
    ctype: str = ""
    data: bytes = b""


@dataclass
class Multipart:
    parts: list


@dataclass
class RawBody:
    data: bytes
    ctype: str


@dataclass
class Req:
    method: str
    path: str
    role: str = "guest"
    params: list = dc_field(default_factory=list)      # [[key, str | filter node]]
    body: Any = None                                    # JSON value | Multipart | RawBody | None
    headers: dict = dc_field(default_factory=dict)
    tag: str = ""                                       # which generator made it
    coll: Optional[str] = None
    kind: str = ""                                      # list view create update delete auth collection
    rid: Optional[str] = None                           # target / created record id
    setup: bool = False

    def param(self, key: str):
        for k, v in self.params:
            if k == key:
                return v
        return None

    def copy(self, **changes) -> "Req":
        d = dict(self.__dict__)
        d["params"] = [list(p) for p in self.params]
        d["headers"] = dict(self.headers)
        d["body"] = copy_body(self.body)
        d.update(changes)
        return Req(**d)


def copy_body(body):
    if isinstance(body, Multipart):
        return Multipart(list(body.parts))
    if isinstance(body, (dict, list)):
        return json.loads(json.dumps(body))
    return body


def render_value(v) -> str:
    return v if isinstance(v, str) else v.render()


def render_url(req: Req) -> str:
    if not req.params:
        return req.path
    q = "&".join(urllib.parse.quote(k, safe="") + "=" + urllib.parse.quote(render_value(v), safe="")
                 for k, v in req.params)
    return req.path + "?" + q


BOUNDARY = "difftestBoundary7MA4YWxkTrZu0gW"


def encode_body(body) -> tuple:
    """(bytes, content type) for a request body."""
    if body is None:
        return b"", None
    if isinstance(body, RawBody):
        return body.data, body.ctype
    if isinstance(body, Multipart):
        chunks = []
        for p in body.parts:
            chunks.append(f"--{BOUNDARY}\r\n".encode())
            if p.filename is not None:
                chunks.append(f'Content-Disposition: form-data; name="{p.name}"; filename="{p.filename}"\r\n'
                              f"Content-Type: {p.ctype}\r\n\r\n".encode())
                chunks.append(p.data)
            else:
                chunks.append(f'Content-Disposition: form-data; name="{p.name}"\r\n\r\n'.encode())
                chunks.append(p.value.encode("utf-8"))
            chunks.append(b"\r\n")
        chunks.append(f"--{BOUNDARY}--\r\n".encode())
        return b"".join(chunks), f"multipart/form-data; boundary={BOUNDARY}"
    return json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"


def describe_req(req: Req, max_parts: int = 12) -> str:
    """Human-readable request, as reported."""
    lines = [f"{req.method} {render_url(req)}   [auth: {req.role}]"]
    for k, v in req.headers.items():
        lines.append(f"{k}: {v}")
    if req.params:
        decoded = "; ".join(f"{k}={render_value(v)!r}" for k, v in req.params)
        lines.append(f"  (decoded query: {decoded})")
    b = req.body
    if isinstance(b, Multipart):
        lines.append(f"multipart/form-data, {len(b.parts)} part(s):")
        for p in b.parts[:max_parts]:
            if p.filename is not None:
                lines.append(f"  {p.name}: file {p.filename!r} ({p.ctype}, {len(p.data)} bytes: {p.data[:24]!r})")
            else:
                lines.append(f"  {p.name}: {p.value!r}")
        if len(b.parts) > max_parts:
            lines.append(f"  ... {len(b.parts) - max_parts} more part(s) of the same shape")
    elif isinstance(b, RawBody):
        lines.append(f"Content-Type: {b.ctype}")
        lines.append(repr(b.data[:400]))
    elif b is not None:
        lines.append("Content-Type: application/json")
        lines.append(json.dumps(b, ensure_ascii=False)[:1500])
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------------------
# Values (edge values per field type)
# ----------------------------------------------------------------------------------------------------------------

def png_bytes(w: int = 1, h: int = 1) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


FILES = [("hello.txt", "text/plain", b"hello world\n"),
         ("notes.txt", "text/plain", "ünïcødé notes\n".encode()),
         ("pixel.png", "image/png", png_bytes()),
         ("square.png", "image/png", png_bytes(8, 8)),
         ("data.json", "application/json", b'{"a":1,"b":[true,null]}'),
         ("My Document.TXT", "text/plain", b"upper case extension\n"),
         ("blob.bin", "application/octet-stream", bytes(range(0, 64))),
         ("fake.png", "image/png", b"not really a png\n")]


def text_value(rng, f: Optional[Field] = None):
    pool = ["", "plain", "hello world", "ünïcødé ✓ 日本", "line1\nline2", "abc\n", "tab\there", "nul\x00byte",
            " spaced ", "a" * 60, "<b>html</b> &amp;", "аdmin", "x'y\"z", "100%_off\\", "forbidden", "0123",
            "abc", "Zz9", 123, None, True, ["a"]]
    return rng.choice(pool)


def number_value(rng):
    return rng.choice([0, 1, -1, 42, 7, 1.5, -0.5, 99.99, 100, 101, 1e15, -1e15, 9007199254740993, 1e308,
                       "12", "abc", "", None, True, 0.1, 3])


def bool_value(rng):
    return rng.choice([True, False, True, False, "true", "false", "yes", 1, 0, None, ""])


def email_value(rng):
    return rng.choice(["a@example.com", "b@test.org", "c@blocked.net", "bad", "", "ü@例え.jp", None,
                       "Upper@Example.COM", "x+tag@example.com"])


def url_value(rng):
    return rng.choice(["https://example.com/x", "http://test.org", "https://blocked.net/p", "ftp://example.com",
                       "notaurl", "", "https://例え.jp/ü", None, "https://example.com/a?b=c&d=e#f"])


def editor_value(rng):
    return rng.choice(["<p>Hello <b>world</b> &amp; more text here</p>", "", "plain words only",
                       "<script>alert(1)</script>visible", "<h1>Title</h1><p>para one</p><p>para two</p>",
                       "x" * 150, "line1\nline2", None])


def date_value(rng, world: World):
    r = rng.random()
    if r < 0.45:
        return rng.choice(world.boundary_dates)
    if r < 0.8:
        return rng.choice(FIXED_DATES)
    return rng.choice(ODD_DATES)


def json_value(rng):
    return rng.choice([42, -1.5, 0, "str", "{\"a\":1}", "{bad", "[1,2]", [1, 2, {"x": "<b>"}],
                       {"a": {"b": [1, None, True]}}, {"a": 1}, {"a": "ü\u0000"}, None, True, False, {}, [], "",
                       1e300, "null", "true", 12345678901234567890, {"a": [[[[{"deep": 1}]]]]}, {"a": 5, "b": "x"}])


def select_value(rng, f: Field):
    values = f.opts["values"]
    if f.multi:
        return rng.choice([[], [values[0]], [values[0], values[0], values[-1]], values[0],
                           json.dumps(values[:2]), ["zzz"], values + ["zzz"], values, None, ""])
    return rng.choice([values[0], values[-1], rng.choice(values), "zzz", "", [values[0], values[-1]], None])


def relation_value(rng, f: Field, world: World):
    target = world.by_id(f.opts["collectionId"])
    pool = (target.ids[:12] if target else []) or ["zzzzzzzzzzzzzzz"]
    a, b = rng.choice(pool), rng.choice(pool)
    missing = "zzzzzzzzzzzzzzz"
    if f.multi:
        return rng.choice([[a], [a, b], [a, a], [a, missing], [], a, None, pool[:f.opts["maxSelect"] + 1]])
    return rng.choice([a, a, a, b, missing, "", [a, b], None])


def field_value(rng, f: Field, world: World, valid_bias: float = 0.0):
    """A value for `f`; with probability valid_bias a plainly valid one (so seeds mostly get stored)."""
    if rng.random() < valid_bias:
        return valid_value(rng, f, world)
    t = f.type
    if t == "text":
        return text_value(rng, f)
    if t == "number":
        return number_value(rng)
    if t == "bool":
        return bool_value(rng)
    if t == "email":
        return email_value(rng)
    if t == "url":
        return url_value(rng)
    if t == "editor":
        return editor_value(rng)
    if t in ("date", "autodate"):
        return date_value(rng, world)
    if t == "select":
        return select_value(rng, f)
    if t == "json":
        return json_value(rng)
    if t == "relation":
        return relation_value(rng, f, world)
    if t == "file":
        return rng.choice(["", [], None])
    return None


def valid_value(rng, f: Field, world: World):
    t, o = f.type, f.opts
    if t == "text":
        pat = o.get("pattern", "")
        if pat in ("^[a-z0-9]+$", "^[\\w][\\w\\.\\-]*$", "^\\S+$"):
            base = rng.choice(["abc", "hello", "zeta9", "title1", "post"])
        elif pat == "[0-9]":
            base = rng.choice(["v1", "2x", "abc3"])
        else:
            base = rng.choice(["hello", "alpha beta", "gamma", "ünï", "x", "Post about things"])
        lo, hi = o.get("min") or 0, o.get("max") or 5000
        base = (base + "xxxxxx")[:max(len(base), lo)]
        return base[:min(hi, 8) if pat == "^.{0,8}$" else hi]
    if t == "number":
        lo = o.get("min")
        hi = o.get("max")
        v = rng.choice([1, 2, 5, 7, 10, 42, 3.5])
        if o.get("onlyInt"):
            v = int(v)
        if lo is not None and v < lo:
            v = lo
        if hi is not None and v > hi:
            v = hi
        return v
    if t == "bool":
        return rng.random() < 0.6
    if t == "email":
        return rng.choice(["a@example.com", "b@test.org"])
    if t == "url":
        return rng.choice(["https://example.com/x", "http://test.org/y"])
    if t == "editor":
        return rng.choice(["<p>Hello <b>world</b></p>", "short", ""]) if not o.get("maxSize") else "<p>hi</p>"
    if t == "date":
        return rng.choice(world.boundary_dates + FIXED_DATES[:5])
    if t == "select":
        vals = o["values"]
        return rng.sample(vals, rng.randint(1, min(2, o["maxSelect"]))) if f.multi else rng.choice(vals)
    if t == "json":
        return rng.choice([{"a": 1}, {"a": "x", "b": [1, 2]}, [1, 2], "str", 42, {"a": 7}, True])
    if t == "relation":
        target = world.by_id(o["collectionId"])
        pool = target.ids[:10] if target else []
        if not pool:
            return [] if f.multi else ""
        return rng.sample(pool, min(len(pool), rng.randint(1, 2))) if f.multi else rng.choice(pool)
    return None


# ----------------------------------------------------------------------------------------------------------------
# Request generators
# ----------------------------------------------------------------------------------------------------------------

ROLES = ["guest", "user1", "user2", "manager", "superuser"]


class Generator:
    """Turns the world + seed into the request sequence (setup first, then `n` random requests)."""

    def __init__(self, world: World, seed: int):
        self.w = world
        self.rng = random.Random(seed * 7919 + 17)
        self.file_counter = 0

    # ---- setup: collections, people, tokens, seed records
    def setup_requests(self) -> list:
        out = []
        for c in self.w.colls:
            out.append(Req("POST", "/api/collections", "superuser", body=c.to_json(), tag="setup:collection",
                           kind="collection", coll=c.name, setup=True))
        people = self.w.coll("dt_people")
        for role in ("user1", "user2", "manager"):
            r = self.w.roles[role]
            body = {"id": r["id"], "email": r["email"], "username": r["username"], "password": PASSWORD,
                    "passwordConfirm": PASSWORD, "emailVisibility": role == "user2", "verified": True,
                    "role": "manager" if role == "manager" else "member", "nick": role}
            out.append(self._record_create(people, body, "superuser", "setup:people"))
        for i in range(self.rng.randint(3, 5)):
            out.append(self._record_create(people, self.people_body(valid=True), self.rng.choice(["superuser", "guest"]),
                                           "setup:people"))
        for role in ("user1", "user2", "manager"):
            out.append(Req("POST", "/api/collections/dt_people/auth-with-password", "guest",
                           body={"identity": self.w.roles[role]["email"], "password": PASSWORD},
                           tag="setup:login:" + role, kind="auth", coll="dt_people", setup=True))
        for c in self.w.colls:
            if c.type != "base":
                continue
            for _ in range(self.rng.randint(6, 10)):
                out.append(self.create_req(c, role="superuser", valid_bias=0.8, tag="setup:seed"))
        for r in out:
            r.setup = True
        return out

    def _record_create(self, c: Coll, body: dict, role: str, tag: str) -> Req:
        rid = body.get("id") or self.w.new_id()
        body["id"] = rid
        c.ids.append(rid)
        req = Req("POST", f"/api/collections/{c.name}/records", role, body=body, tag=tag, kind="create",
                  coll=c.name, rid=rid)
        c.create_reqs[rid] = req
        return req

    def people_body(self, valid: bool) -> dict:
        rng = self.rng
        n = self.w.new_id()[:6]
        body = {"email": f"p{n}@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD,
                "emailVisibility": rng.random() < 0.5, "username": f"u_{n}", "nick": "nick " + n,
                "role": "member"}
        if not valid:
            k = rng.randint(0, 8)
            if k == 0:
                body["username"] = rng.choice(["аdmin", "ünï", "bad name", "x", "name\n", "ok.name-1", "日本語"])
            elif k == 1:
                body["passwordConfirm"] = "mismatch123"
            elif k == 2:
                body["email"] = rng.choice(["bad", "", "user1@example.com"])
            elif k == 3:
                body["verified"] = True
            elif k == 4:
                body["role"] = "manager"
            elif k == 5:
                body.pop("password")
            elif k == 6:
                body["username"] = "user1_dt"
            elif k == 7:
                body["password"] = body["passwordConfirm"] = "short"
        return body

    # ---- record bodies
    def record_body(self, c: Coll, valid_bias: float, partial: bool) -> dict:
        fields = [f for f in c.fields if f.type not in ("file",)]
        if partial and fields:
            fields = self.rng.sample(fields, self.rng.randint(1, min(4, len(fields))))
        body = {}
        for f in fields:
            if f.type == "autodate" and self.rng.random() < 0.7:
                continue
            body[f.name] = field_value(self.rng, f, self.w, valid_bias)
        return body

    def file_part(self, name: str, mime_pref: Optional[list] = None) -> Part:
        rng = self.rng
        cands = FILES
        if mime_pref and rng.random() < 0.6:
            cands = [x for x in FILES if x[1] in mime_pref] or FILES
        fn, ct, data = rng.choice(cands)
        return Part(name, filename=fn, ctype=ct, data=data)

    def to_multipart(self, c: Coll, body: dict, with_files: bool) -> Multipart:
        """JSON-ish body -> multipart parts: scalars as plain (inferred) parts, objects via @jsonPayload."""
        parts, payload = [], {}
        for k, v in body.items():
            if isinstance(v, (dict, list)) or (v is None and self.rng.random() < 0.5):
                if isinstance(v, list) and all(isinstance(x, str) for x in v) and self.rng.random() < 0.5:
                    parts += [Part(k, x) for x in v]            # repeated keys -> array
                else:
                    payload[k] = v
            elif v is None:
                parts.append(Part(k, ""))
            elif isinstance(v, bool):
                parts.append(Part(k, "true" if v else "false"))
            else:
                parts.append(Part(k, str(v) if not isinstance(v, float) else repr(v)))
        if payload:
            parts.append(Part("@jsonPayload", json.dumps(payload, ensure_ascii=False)))
        if with_files:
            for f in c.fields_of("file"):
                if self.rng.random() < 0.7:
                    n = 1 if not f.multi else self.rng.randint(1, f.opts["maxSelect"] + 1)
                    key = f.name if self.rng.random() < 0.8 else f.name + "+"
                    parts += [self.file_part(key, f.opts.get("mimeTypes")) for _ in range(n)]
        return Multipart(parts)

    def create_req(self, c: Coll, role: str, valid_bias: float, tag: str) -> Req:
        if c.type == "auth":
            body = self.people_body(valid=self.rng.random() < valid_bias)
            for f in c.fields:
                if f.name not in body and f.type not in ("file", "autodate") and self.rng.random() < 0.4:
                    body[f.name] = field_value(self.rng, f, self.w, valid_bias)
        else:
            body = self.record_body(c, valid_bias, partial=False)
        rid = self.w.new_id()
        if self.rng.random() < 0.03 and not tag.startswith("setup"):
            rid = self.rng.choice(["short", "UPPERCASE123456", "has/slash12345x", "x" * 16, ""])
        body = {"id": rid, **body}
        c.ids.append(rid)
        multipart = c.fields_of("file") and self.rng.random() < 0.45
        req = Req("POST", f"/api/collections/{c.name}/records", role, tag=tag, kind="create", coll=c.name, rid=rid,
                  body=self.to_multipart(c, body, with_files=True) if multipart else body)
        self.maybe_expand_fields(req, c, 0.25)
        c.create_reqs[rid] = req
        return req

    # ---- random requests
    def random_request(self) -> Req:
        rng = self.rng
        kind = rng.choices(["list", "view", "create", "update", "delete", "auth", "special"],
                           weights=[40, 14, 13, 11, 4, 4, 14])[0]
        colls = [c for c in self.w.colls]
        c = rng.choice(colls)
        role = rng.choice(ROLES)
        if kind == "special":
            return self.special()
        if kind == "list":
            return self.list_req(c, role)
        if kind == "view":
            return self.view_req(c, role)
        if kind == "auth":
            return self.auth_req()
        if c.type == "view":
            c = rng.choice([x for x in colls if x.type != "view"]) if rng.random() < 0.85 else c
        if kind == "create":
            return self.create_req(c, role, valid_bias=0.5, tag="create")
        if kind == "update":
            return self.update_req(c, role)
        return self.delete_req(c, role)

    def pick_id(self, c: Coll) -> str:
        rng = self.rng
        if c.type == "view":
            if c.view_id_source == "rownum":
                return rng.choice(["1", "2", "3", "0", "99"])
            src = self.w.coll(c.view_id_source)
            return rng.choice(src.ids or ["zzzzzzzzzzzzzzz"])
        r = rng.random()
        if r < 0.85 and c.ids:
            return rng.choice(c.ids)
        return rng.choice(["zzzzzzzzzzzzzzz", "missing", "UPPER", "a%2Fb", "x" * 40])

    def list_req(self, c: Coll, role: str) -> Req:
        rng = self.rng
        req = Req("GET", f"/api/collections/{c.name}/records", role, tag="list", kind="list", coll=c.name)
        if rng.random() < 0.75:
            req.params.append(["filter", self.filter(c, role)])
        if rng.random() < 0.5:
            req.params.append(["sort", self.sort(c)])
        self.maybe_expand_fields(req, c, 0.4)
        if rng.random() < 0.3:
            req.params.append(["page", rng.choice(["1", "2", "0", "-1", "abc", "999999", "1.5"])])
        if rng.random() < 0.35:
            req.params.append(["perPage", rng.choice(["1", "2", "3", "30", "0", "-5", "1000", "5000", "x"])])
        if rng.random() < 0.15:
            req.params.append(["skipTotal", rng.choice(["1", "true", "0", "maybe", "T"])])
        self.maybe_request_context(req)
        rng.shuffle(req.params)
        return req

    def maybe_request_context(self, req: Req) -> None:
        """Values visible as @request.query.dtq / @request.headers.x_dt to rules and filters."""
        if self.rng.random() < 0.2:
            req.params.append(["dtq", self.rng.choice(["1", "hide", "", "ü"])])
        if self.rng.random() < 0.15:
            req.headers["X-Dt"] = self.rng.choice(["deny", "allow", "1"])

    def maybe_expand_fields(self, req: Req, c: Coll, p: float) -> None:
        if self.rng.random() < p:
            req.params.append(["expand", self.expand(c)])
        if self.rng.random() < p * 0.8:
            req.params.append(["fields", self.fields_param(c)])

    def view_req(self, c: Coll, role: str) -> Req:
        rid = self.pick_id(c)
        req = Req("GET", f"/api/collections/{c.name}/records/{rid}", role, tag="view", kind="view", coll=c.name,
                  rid=rid)
        self.maybe_expand_fields(req, c, 0.5)
        self.maybe_request_context(req)
        return req

    def update_req(self, c: Coll, role: str) -> Req:
        rng = self.rng
        rid = self.pick_id(c)
        if c.type == "auth":
            body = {}
            for _ in range(rng.randint(1, 3)):
                k = rng.choice(["nick", "bio", "username", "emailVisibility", "verified", "email", "role", "password"])
                if k == "password":
                    if rid in self.w.protected_ids:
                        continue
                    body.update({"password": "newpassword1", "passwordConfirm": "newpassword1"})
                    if rng.random() < 0.5:
                        body["oldPassword"] = PASSWORD
                elif k == "email":
                    if rid in self.w.protected_ids and rng.random() < 0.7:
                        continue
                    body["email"] = f"changed{rng.randint(0, 999)}@example.com"
                elif k in ("emailVisibility", "verified"):
                    body[k] = rng.random() < 0.5
                elif k == "username":
                    body[k] = rng.choice(["renamed_" + rid[:4], "аdmin" + rid[:3], "ok.name-" + rid[:3], "bad name",
                                          "with\nnewline"])
                elif k == "role":
                    body[k] = rng.choice(["member", "manager", "boss"])
                else:
                    body[k] = field_value(rng, c.field(k), self.w, 0.4)
        else:
            body = self.record_body(c, 0.4, partial=True)
            nums = c.fields_of("number")
            multis = [f for f in c.fields if f.multi and f.type in ("select", "relation")]
            if nums and rng.random() < 0.3:
                body[nums[0].name + rng.choice(["+", "-"])] = rng.choice([1, 3, -2, 1.5, "2"])
            if multis and rng.random() < 0.3:
                f = rng.choice(multis)
                key = rng.choice([f.name + "+", "+" + f.name, f.name + "-"])
                v = field_value(rng, f, self.w, 0.7)
                body[key] = v
        req = Req("PATCH", f"/api/collections/{c.name}/records/{rid}", role, tag="update", kind="update",
                  coll=c.name, rid=rid, body=body)
        if c.type != "auth" and c.fields_of("file") and rng.random() < 0.35:
            req.body = self.to_multipart(c, body, with_files=True)
            fl = c.fields_of("file")[0]
            if rng.random() < 0.3:
                req.body.parts.append(Part(fl.name + "-", "hello_0123456789.txt"))
        self.maybe_expand_fields(req, c, 0.2)
        return req

    def delete_req(self, c: Coll, role: str) -> Req:
        rid = self.pick_id(c)
        if rid in self.w.protected_ids:
            rid = "zzzzzzzzzzzzzzz"
        return Req("DELETE", f"/api/collections/{c.name}/records/{rid}", role, tag="delete", kind="delete",
                   coll=c.name, rid=rid)

    def auth_req(self) -> Req:
        rng = self.rng
        k = rng.randint(0, 4)
        if k <= 1:
            role = rng.choice(["user1", "user2", "manager"])
            ident = rng.choice([self.w.roles[role]["email"], self.w.roles[role]["username"],
                                self.w.roles[role]["email"].upper(), "nobody@example.com", "аdmin", ""])
            pw = rng.choice([PASSWORD, PASSWORD, "wrong-password", ""])
            body = {"identity": ident, "password": pw}
            if rng.random() < 0.2:
                body["identityField"] = rng.choice(["email", "username", "nick"])
            req = Req("POST", "/api/collections/dt_people/auth-with-password", "guest", body=body, tag="auth:password",
                      kind="auth", coll="dt_people")
            self.maybe_expand_fields(req, self.w.coll("dt_people"), 0.2)
            return req
        if k == 2:
            return Req("POST", "/api/collections/dt_people/auth-refresh", rng.choice(ROLES), tag="auth:refresh",
                       kind="auth", coll="dt_people")
        if k == 3:
            return Req("GET", "/api/collections/dt_people/auth-methods", rng.choice(ROLES), tag="auth:methods",
                       kind="auth", coll="dt_people",
                       params=[["fields", "mfa,otp,password,oauth2"]] if rng.random() < 0.5 else [])
        return Req("GET", f"/api/collections/{rng.choice(self.w.colls).name}", "superuser", tag="collection:view",
                   kind="collection")

    # ---- filter / sort / expand / fields
    def operand_for(self, c: Coll, role: str, depth: int = 0) -> tuple:
        """(identifier, kind) of a left operand path for `c`; kind drives the literal on the right."""
        rng = self.rng
        privileged = role == "superuser"
        r = rng.random()
        if r < (0.28 if privileged else 0.08):
            return self.request_operand(c)
        if c.type == "view":
            col, kind = rng.choice(c.view_cols)
            if rng.random() < 0.05:
                return "nope", "text"
            return col, kind
        r = rng.random()
        if r < 0.05:
            return rng.choice(["nope", "id.nope"]), "text"
        if r < 0.07 and privileged is False:
            hidden = [f for f in c.fields if f.hidden]
            if hidden:
                return hidden[0].name, "text"
        fields = [f for f in c.fields]
        if c.type == "auth":
            fields = fields + [Field("email", "email", ""), Field("verified", "bool", ""),
                               Field("emailVisibility", "bool", "")]
        f = rng.choice(fields + [Field("id", "text", "")])
        if f.type == "relation" and depth < 2 and rng.random() < 0.6:
            target = self.w.by_id(f.opts["collectionId"])
            if target is not None:
                sub, kind = self.operand_for(target, "superuser" if privileged else "user", depth + 1)
                if not sub.startswith("@"):
                    return f"{f.name}.{sub}", kind
        if f.multi and rng.random() < 0.5:
            if rng.random() < 0.5:
                return f"{f.name}:length", "number"
            return f"{f.name}:each", "selectval" if f.type == "select" else "id"
        if f.type == "json" and rng.random() < 0.5:
            return f"{f.name}{rng.choice(['.a', '.a.b', '.0', '.b.1', '.x'])}", "json"
        if rng.random() < 0.08:
            backs = self.w.back_relations(c)
            if backs:
                bc, bf = rng.choice(backs)
                sub = rng.choice([x.name for x in bc.fields if x.type in ("text", "number", "bool")] or ["id"])
                return f"{bc.name}_via_{bf.name}.{sub}", "text"
        kind = {"number": "number", "bool": "bool", "date": "date", "autodate": "date", "json": "json",
                "select": "selectval", "relation": "id"}.get(f.type, "text")
        return f.name, kind

    def request_operand(self, c: Coll) -> tuple:
        rng = self.rng
        people = self.w.coll("dt_people")
        choices = [("@request.auth.id", "id"), ("@request.auth.role", "text"), ("@request.auth.email", "text"),
                   ("@request.auth.collectionName", "text"), ("@request.auth.verified", "bool"),
                   ("@request.query.dtq", "text"), ("@request.headers.x_dt", "text"), ("@request.method", "text"),
                   ("@request.context", "text"), ("@request.auth.id:isset", "bool"),
                   ("@request.query.dtq:isset", "bool"), ("@request.body.title", "text"),
                   (f"@collection.{people.name}.role", "text"), (f"@collection.{people.name}.id", "id"),
                   ("@collection.dt_tags.weight", "number"), ("@collection.dt_posts:p.score", "number"),
                   ("@request.auth.nick", "text")]
        return rng.choice(choices)

    def literal(self, kind: str, c: Coll) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.06:
            return rng.choice(["null", "true", "false", "''"])
        if r < 0.1:
            return rng.choice(ALL_MACROS)
        if kind == "number":
            return rng.choice(["0", "1", "-1", "42", "1.5", "100", "1000000000000000", "-99.5", "7", "3"] +
                              NUMBER_MACROS)
        if kind == "bool":
            return rng.choice(["true", "false", "1", "0", "'true'"])
        if kind == "date":
            if rng.random() < 0.55:
                return rng.choice(DATE_MACROS)
            return quote_lit(rng.choice(self.w.boundary_dates + FIXED_DATES + ["2024-01-02", "2024"]))
        if kind == "id":
            people = self.w.coll("dt_people")
            return rng.choice(["@request.auth.id", quote_lit(rng.choice(people.ids or ["x"])), "''",
                               quote_lit(self.w.roles["manager"]["id"])])
        if kind == "selectval":
            return quote_lit(rng.choice(SELECT_VALUES + ["member", "manager", "%a%", "zzz"]))
        if kind == "json":
            return rng.choice(["1", "7", "42", "'x'", "'str'", "null", "true", "'{\"a\":1}'", "'%1%'"])
        pool = ["abc", "hello", "", "ünï", "%", "%o%", "_", "a_b", "x'y", 'q"q', "\\", "line1\nline2", "abc\n",
                "аdmin", "hello world", "user1_dt", "member", "a@example.com", "100%_off\\", "Hello"]
        return quote_lit(rng.choice(pool), rng.random() < 0.3)

    def comparison(self, c: Coll, role: str) -> Cmp:
        rng = self.rng
        left, kind = self.operand_for(c, role)
        op = rng.choice(ALL_OPS) if rng.random() < 0.45 else rng.choice(["=", "!=", ">", "<", ">=", "<=", "~"])
        if kind == "date" and rng.random() < 0.5:
            op = rng.choice(["<", "<=", ">", ">=", "=", "!="])
        if rng.random() < 0.1:
            right, _ = self.operand_for(c, role)
        else:
            right = self.literal(kind, c)
        if rng.random() < 0.06:
            left, right = right, left
        return Cmp(left, op, right)

    def filter(self, c: Coll, role: str, depth: int = 0):
        rng = self.rng
        r = rng.random()
        if r < 0.025:   # NUL byte inside a string literal / outside any string
            left, kind = self.operand_for(c, role)
            return rng.choice([Cmp(left, "=", "'a\x00b'"), Cmp(left, "~", "'\x00'"),
                               RawFilter(f"{left} != ''\x00"), RawFilter(f"\x00{left} = 1")])
        if r < 0.04:
            return RawFilter(rng.choice(["title = 'x' &&", "(score > 1", "score >> 1", "title = 'a'\r\n", "",
                                         "1 = 1", "id != '' // comment", "'a' = 'a'", "title = 'x' &&& 1",
                                         "@request.auth.id:lower = ''", "title:lower = 'x'", "@now"]))
        n = 1 if depth >= 2 else rng.choice([1, 1, 1, 2, 2, 3])
        items = []
        for _ in range(n):
            if depth < 2 and rng.random() < 0.2:
                sub = self.filter(c, role, depth + 1)
                if isinstance(sub, Join):
                    sub.grouped = True
                items.append(sub)
            else:
                items.append(self.comparison(c, role))
        if n == 1:
            return items[0]
        return Join(items, [rng.choice(["&&", "||"]) for _ in range(n - 1)])

    def sort(self, c: Coll) -> str:
        rng = self.rng
        if c.type == "view":
            cols = [x for x, _ in c.view_cols]
        else:
            cols = ["id"] + [f.name for f in c.fields if f.type not in ("file",)]
            rels = c.fields_of("relation")
            if rels:
                cols.append(rels[0].name + ".id")
        items = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            r = rng.random()
            if r < 0.06:
                items.append("@random")
            elif r < 0.14:
                items.append(rng.choice(["@rowid", "-@rowid"]))
            elif r < 0.18:
                items.append(rng.choice(["nope", "-nope", "secret", "", "expand"]))
            else:
                items.append(rng.choice(["", "-", "+"]) + rng.choice(cols))
        if rng.random() < 0.7 and not any("@random" in x for x in items):
            items.append("id")   # tie-breaker: ties would make row order legitimately unspecified
        return ",".join(items)

    def expand(self, c: Coll) -> str:
        rng = self.rng
        opts = []
        if c.type != "view":
            for f in c.fields_of("relation"):
                opts.append(f.name)
                target = self.w.by_id(f.opts["collectionId"])
                if target:
                    for g in target.fields_of("relation"):
                        opts.append(f"{f.name}.{g.name}")
                    for bc, bf in self.w.back_relations(target)[:2]:
                        opts.append(f"{f.name}.{bc.name}_via_{bf.name}")
                opts.append(f"{f.name}.nope")
            for bc, bf in self.w.back_relations(c):
                opts += [f"{bc.name}_via_{bf.name}", f"{bc.name}({bf.name})"]
                for g in bc.fields_of("relation"):
                    if g.name != bf.name:
                        opts.append(f"{bc.name}_via_{bf.name}.{g.name}")
        else:
            opts += ["owner", "id"]
        opts += ["nope", "nope.deeper", "", "id"]
        k = rng.choice([1, 1, 2, 3])
        return ",".join(rng.choice(opts) for _ in range(k))

    def fields_param(self, c: Coll) -> str:
        rng = self.rng
        if c.type == "view":
            names = [x for x, _ in c.view_cols]
        else:
            names = ["id"] + [f.name for f in c.fields]
        texty = [f.name for f in c.fields if f.type in ("text", "editor")] or names
        excerpt = rng.choice(["(10)", "(10,true)", "(3, false)", "(abc)", "(0)", "(-1)", "()", "(5,maybe)",
                              "(1000000)", "(2,true,x)", "(1)"])
        items = []
        for _ in range(rng.choice([1, 2, 3])):
            r = rng.random()
            if r < 0.25:
                items.append(rng.choice(texty) + ":excerpt" + excerpt)
            elif r < 0.35:
                items.append(rng.choice(["*", "expand", "*,expand"]))
            elif r < 0.45:
                rels = c.fields_of("relation") if c.type != "view" else []
                items.append(f"expand.{rels[0].name}.id" if rels else "expand.nope")
            elif r < 0.5:
                items.append(rng.choice(["nope", "", "id,", "collectionName"]))
            else:
                items.append(rng.choice(names))
        return ",".join(items)

    def view_lifecycle(self) -> list:
        """[create a view with random expression columns, read it, drop it]"""
        rng = self.rng
        self.view_counter = getattr(self, "view_counter", 0) + 1
        name = f"dt_vx{self.view_counter}"
        cols = rng.sample(VIEW_EXPRS, rng.randint(1, 4))
        sel = ", ".join(f"{e} AS c{i}" for i, e in enumerate(cols))
        grouped = any(x.split("(")[0] in ("COUNT", "SUM", "TOTAL", "AVG", "MAX", "MIN", "group_concat")
                      or x.startswith("(COUNT") for x in cols)
        query = f"SELECT id, {sel} FROM dt_posts" + (" GROUP BY id" if grouped or rng.random() < 0.3 else "")
        body = {"id": gen_coll_id(rng), "name": name, "type": "view", "listRule": "", "viewRule": "",
                "viewQuery": query}
        base = f"/api/collections/{name}"
        return [Req("POST", "/api/collections", "superuser", body=body, tag="special:view-create",
                    kind="collection", coll=name),
                Req("GET", base + "/records", rng.choice(["guest", "superuser"]),
                    params=[["sort", "id"], ["perPage", "5"]], tag="special:view-read", kind="list", coll=name),
                Req("DELETE", base, "superuser", tag="special:view-drop", kind="collection", coll=name)]

    # ---- targeted cases for behaviour that is easy to get wrong (one picked per "special" request)
    def special(self):
        role = self.rng.choice(ROLES)
        cases = [self.sp_json_scalar, self.sp_view_list, self.sp_date_macro, self.sp_excerpt,
                 self.sp_expand_invalid, self.sp_expand_legacy, self.sp_email_visibility, self.sp_upload,
                 self.sp_pattern, self.sp_username, self.sp_rowid, self.sp_nul, self.sp_many_parts, self.sp_paging,
                 self.sp_raw_body, self.sp_request_filter, self.sp_modifier, self.sp_view_lifecycle,
                 self.sp_settings_invalid, self.sp_realtime_subscribe, self.sp_collection_rules]
        return cases[self.rng.randint(0, len(cases) - 1)](role)

    def register_create(self, c: Coll, rid: str, body, role: str, tag: str) -> Req:
        """A create request for record `rid` of `c`, remembered so the reducer can re-create the record."""
        c.ids.append(rid)
        req = Req("POST", f"/api/collections/{c.name}/records", role, body=body, tag=tag, kind="create",
                  coll=c.name, rid=rid)
        c.create_reqs[rid] = req
        return req

    def list_of(self, c: Coll, role: str, params: list, tag: str) -> Req:
        return Req("GET", f"/api/collections/{c.name}/records", role, params=params, tag=tag, kind="list",
                   coll=c.name)

    SETTINGS_CRONS = ["", "* * * * *", "*/0 * * * *", "61 * * * *", "@daily", "@every 5m", "5/2 * * * *", "a * * * *",
                      "1-2-3 * * * *", "5-1 * * * *", "0 0 * * 7", "*/15 1-3 * * 1,3", "* * * *", "0  0 * * *"]
    SETTINGS_URLS = ["http://localhost:8090", "localhost:8090", "localhost", "http://", "ftp://x.y", "//example.com",
                     "mailto:x@y.z", "http://a b", "https://exa_mple.com/p?q=1", ""]
    SETTINGS_EMAILS = ["a@b.co", "a@b", "a@localhost", "A@B.CO ", "a+b@c.d", "", "x@[127.0.0.1]"]
    SETTINGS_HOSTS = ["smtp.example.com", "localhost", "127.0.0.1", "::1", "[::1]", "-a.com", "a..b", "bad host!", "", "exa_mple.com"]
    SETTINGS_LABELS = ["/api/", "/api/health", "POST /api/x", "*:auth", "users:create", "*", "a-b", "users:*", "GET",
                       "POST  /api/x", "/api/{x}", "test_a", ""]

    def sp_settings_invalid(self, role: str) -> Req:
        """A settings PATCH mixing generated values across sections; `logs.maxDays: -1` makes it always fail, so
        the whole validation answer (every section's errors, sorted) is compared and nothing is saved."""
        rng = self.rng
        body: dict = {"logs": {"maxDays": -1, "minLevel": rng.choice([0, -4, 8])}}
        if rng.random() < 0.6:
            body["smtp"] = {"enabled": rng.random() < 0.5, "host": rng.choice(self.SETTINGS_HOSTS), "port": rng.choice([0, 25, -1, 70000]),
                            "authMethod": rng.choice(["", "LOGIN", "PLAIN", "plain", "CRAM"]), "localName": rng.choice(self.SETTINGS_HOSTS)}
        if rng.random() < 0.6:
            body["meta"] = {"appName": rng.choice(["Acme", "", "   ", "x" * 256]), "appURL": rng.choice(self.SETTINGS_URLS),
                            "senderName": rng.choice(["Support", "", "y" * 256]), "senderAddress": rng.choice(self.SETTINGS_EMAILS)}
        if rng.random() < 0.6:
            body["backups"] = {"cron": rng.choice(self.SETTINGS_CRONS), "cronMaxKeep": rng.choice([0, 1, 3, -1]),
                               "s3": {"enabled": rng.random() < 0.3, "endpoint": rng.choice(self.SETTINGS_URLS)}}
        if rng.random() < 0.5:
            body["s3"] = {"enabled": rng.random() < 0.4, "bucket": rng.choice(["", "b"]), "endpoint": rng.choice(self.SETTINGS_URLS)}
        if rng.random() < 0.5:
            body["batch"] = {"enabled": rng.random() < 0.5, "maxRequests": rng.choice([0, 50, -1]), "timeout": rng.choice([0, 3, -1]),
                             "maxBodySize": rng.choice([0, -1, 1024])}
        if rng.random() < 0.6:
            rules = [{"label": rng.choice(self.SETTINGS_LABELS), "maxRequests": rng.choice([0, 1, 5, -1]), "duration": rng.choice([0, 1, 10, -1]),
                      "audience": rng.choice(["", "", "@guest", "@auth", "@all"])} for _ in range(rng.randint(0, 4))]
            body["rateLimits"] = {"enabled": rng.random() < 0.5, "rules": rules}
        return Req("PATCH", "/api/settings", "superuser", body=body, tag="special:settings-invalid", kind="settings")

    RULE_NOISE = ["nope", ":lower", "@collection.nope.x", " ==", "(", ")", " &&& ", "'x", "1.2.3", "\u00ef", "/", "?",
                  "@request.foo", "#x", "_via_nope", ".nope", ":each", " && ", "\"", "\r"]

    def sp_collection_rules(self, role: str) -> Req:
        """POST /api/collections: rules from the filter generator (half of them broken by inserted noise) checked
        against a copy of a collection's fields, with generated repeats (same name without an id, other case, same
        id). The empty name fails every attempt, so the whole validation answer (rule errors `validation_invalid_rule`
        with the filter engine's raw text, `fields.N.name|id`) is compared and nothing is saved."""
        rng = self.rng
        c = rng.choice([x for x in self.w.colls if x.type == "base"])
        fields = [f.to_json() for f in c.fields]
        for _ in range(rng.choice([0, 0, 1, 2])):
            f = dict(rng.choice(fields))
            how = rng.choice(["same-name", "other-case", "same-id"])
            if how == "same-name":
                f.pop("id", None)
            elif how == "other-case":
                f.pop("id", None)
                f["name"] = f["name"].upper()
            fields.insert(rng.randint(0, len(fields)), f)

        def rule():
            r = rng.random()
            if r < 0.15:
                return None
            if r < 0.25:
                return ""
            text = self.filter(c, "superuser").render()
            if rng.random() < 0.5:
                i = rng.randint(0, len(text))
                text = text[:i] + rng.choice(self.RULE_NOISE) + (text[i:] if rng.random() < 0.6 else "")
            return text
        body = {"name": "", "type": "base", "fields": fields}
        for key in ("listRule", "viewRule", "createRule", "updateRule", "deleteRule"):
            body[key] = rule()
        return Req("POST", "/api/collections", "superuser", body=body, tag="special:collection-rules", kind="collection")

    def sp_realtime_subscribe(self, role: str) -> Req:
        """POST /api/realtime with generated bodies: binding, validation (clientId, subscription counts and lengths)
        and the unknown-client answer — all decided before any stream exists."""
        rng = self.rng
        body: Any = {}
        if rng.random() < 0.85:
            body["clientId"] = rng.choice(["", "x" * rng.choice([1, 40, 255, 256]), 5, None, ["a"], "nobody"])
        if rng.random() < 0.8:
            n = rng.choice([0, 1, 3, 1000, 1001])
            subs = [rng.choice(["dt_posts/*", "", "x" * rng.choice([10, 2500, 2501]), "dt_posts/*?options=%7B%7D"]) for _ in range(n)]
            body["subscriptions"] = rng.choice([subs, subs, "dt_posts/*", None, [1, 2]])
        if rng.random() < 0.1:
            body = rng.choice([[], "str", 7])
        return Req("POST", "/api/realtime", role, body=body, tag="special:realtime-subscribe", kind="realtime")

    def sp_json_scalar(self, role: str) -> Req:
        """A JSON field given a bare scalar (sptfy-dev once stored numbers as null)."""
        c = self.rng.choice([self.w.coll("dt_posts"), self.w.coll("dt_tags")])
        body = {"id": self.w.new_id(), "meta": self.rng.choice([42, -7, 1.5, "str", True, None, 0, [1], {"a": 1}])}
        return self.register_create(c, body["id"], body, "superuser", "special:json-scalar")

    def sp_view_list(self, role: str) -> Req:
        """Every row of a view: column types (number / text / json) show in the values."""
        v = self.rng.choice([c for c in self.w.colls if c.type == "view"])
        params = [["sort", "id"]] if v.view_id_source != "rownum" else []
        return self.list_of(v, self.rng.choice(["superuser", "user1", "guest"]), params, "special:view-list")

    def sp_date_macro(self, role: str) -> Req:
        """Datetime macros against records dated exactly at and around the macro boundaries."""
        macro = self.rng.choice(DATE_MACROS)
        op = self.rng.choice(["<", "<=", ">", ">=", "=", "!="])
        params = [["filter", Cmp("due", op, macro)], ["sort", "due,id"], ["fields", "id,due"], ["perPage", "200"]]
        return self.list_of(self.w.coll("dt_posts"), "superuser", params, "special:date-macro")

    def sp_excerpt(self, role: str) -> Req:
        """:excerpt with valid and invalid arguments (PocketBase refuses non-numeric / zero lengths)."""
        arg = self.rng.choice(["abc", "0", "-1", "", "10", "10,true", "5,maybe", "3,false", "1.5"])
        c = self.rng.choice([self.w.coll("dt_posts"), self.w.coll("dt_tags")])
        fname = "title" if self.rng.random() < 0.5 or c.name == "dt_tags" else "body"
        return self.list_of(c, role, [["fields", f"id,{fname}:excerpt({arg})"], ["sort", "id"]], "special:excerpt")

    def sp_expand_invalid(self, role: str) -> list:
        """Partly valid expand paths (PocketBase drops a path whose tail does not resolve), on a fresh post that
        certainly has an owner and a tag (random posts often have neither, or fail validation)."""
        posts, tags = self.w.coll("dt_posts"), self.w.coll("dt_tags")
        ex = self.rng.choice(["owner.nope", "owner,nope", "tags.nope", "nope.owner", "owner.dt_posts_via_owner",
                              "tags,tags.nope"])
        body = {"id": self.w.new_id()}
        for f in posts.fields:
            if f.type not in ("file", "autodate"):
                body[f.name] = True if f.type == "bool" else valid_value(self.rng, f, self.w)
        body.update(owner=self.w.roles["user1"]["id"], tags=tags.ids[:1])
        create = self.register_create(posts, body["id"], body, "superuser", "special:expand-invalid-setup")
        params = [["expand", ex], ["filter", Cmp("id", "=", quote_lit(body["id"]))]]
        return [create, self.list_of(posts, "superuser", params, "special:expand-invalid")]

    def sp_expand_legacy(self, role: str) -> Req:
        """Back-relations in the legacy `collection(field)` syntax and as `collection_via_field`."""
        posts, people = self.w.coll("dt_posts"), self.w.coll("dt_people")
        c = self.rng.choice([posts, people])
        ex = self.rng.choice(["dt_comments(post)", "dt_comments_via_post"] if c is posts else
                             ["dt_posts(owner)", "dt_posts_via_owner", "dt_comments(author)"])
        return self.list_of(c, "superuser", [["expand", ex], ["sort", "id"], ["perPage", "5"]],
                            "special:expand-legacy")

    def sp_email_visibility(self, role: str) -> Req:
        """Other users' emails as seen by users, the manageRule's manager and guests."""
        people = self.w.coll("dt_people")
        viewer = self.rng.choice(["user1", "user2", "manager", "guest"])
        if self.rng.random() < 0.5:
            return self.list_of(people, viewer, [["sort", "id"]], "special:email-visibility")
        target = self.w.roles[self.rng.choice(["user1", "user2", "manager"])]["id"]
        return Req("GET", f"/api/collections/{people.name}/records/{target}", viewer,
                   tag="special:email-visibility", kind="view", coll=people.name, rid=target)

    def sp_upload(self, role: str) -> Req:
        """One small file into both file fields (mimeTypes checks use content sniffing)."""
        posts = self.w.coll("dt_posts")
        rid = self.w.new_id()
        fn, ct, data = self.rng.choice(FILES)
        body = Multipart([Part("id", rid), Part("docs", filename=fn, ctype=ct, data=data),
                          Part("doc", filename=fn, ctype=ct, data=data)])
        return self.register_create(posts, rid, body, "superuser", "special:upload")

    def sp_pattern(self, role: str) -> Req:
        """Trailing newlines, Unicode spaces and confusables against text-field patterns (Go RE2 semantics)."""
        posts = self.w.coll("dt_posts")
        c = self.rng.choice([c for c in self.w.colls if c.type == "base"])
        fields = [f for f in c.fields if f.type == "text" and f.opts.get("pattern")] or c.fields_of("text")
        if not fields:
            c, fields = posts, posts.fields_of("text")
        f = self.rng.choice(fields)
        body = {"id": self.w.new_id(), f.name: self.rng.choice(["abc\n", "abc\n\n", "\nabc", "аbc", "ünï", "abc def",
                                                                "abc\r", "ab\u00a0c", "x\u200by"])}
        return self.register_create(c, body["id"], body, "superuser", "special:pattern")

    def sp_username(self, role: str) -> Req:
        """Sign-up with a Unicode / confusable username against `^[\\w][\\w\\.\\-]*$`."""
        body = self.people_body(valid=True)
        body["username"] = self.rng.choice(["аdmin", "ünï", "ｆｕｌｌ", "日本語", "user\n", "a.b-c", "ok_name", "Ⅸ",
                                            "٣٤٥"])
        body["id"] = self.w.new_id()
        return self.register_create(self.w.coll("dt_people"), body["id"], body, "guest", "special:username")

    def sp_rowid(self, role: str) -> Req:
        """sort=@rowid on views (which have no rowid in PocketBase) and on a table."""
        c = self.rng.choice([c for c in self.w.colls if c.type == "view"] + [self.w.coll("dt_posts")])
        return self.list_of(c, "superuser", [["sort", self.rng.choice(["@rowid", "-@rowid"])]], "special:rowid")

    def sp_nul(self, role: str) -> Req:
        """NUL bytes inside a filter string literal and outside any string."""
        f = self.rng.choice([Cmp("title", "=", "'a\x00b'"), Cmp("title", "~", "'\x00'"), RawFilter("title != ''\x00"),
                             RawFilter("\x00title = 'x'"), RawFilter("title = 'x' \x00&& id != ''")])
        return self.list_of(self.w.coll("dt_posts"), role, [["filter", f]], "special:nul")

    def sp_many_parts(self, role: str) -> Req:
        """Multipart bodies around Go's 1000-part limit."""
        n = self.rng.choice([999, 1001, 2000])
        rid = self.w.new_id()
        parts = [Part("id", rid)] + [Part(f"x{i}", "v") for i in range(n)]
        return self.register_create(self.w.coll("dt_tags"), rid, Multipart(parts), "superuser", "special:many-parts")

    def sp_paging(self, role: str) -> Req:
        c = self.rng.choice([self.w.coll("dt_posts"), self.w.coll("dt_tags"), self.w.coll("dt_people")])
        params = [["page", self.rng.choice(["0", "-1", "99999999999", "2"])],
                  ["perPage", self.rng.choice(["0", "-1", "1001", "99999999999", "1"])], ["sort", "id"]]
        return self.list_of(c, role, params, "special:paging")

    def sp_raw_body(self, role: str) -> Req:
        """Malformed JSON, non-object JSON, urlencoded and unsupported content types."""
        c = self.rng.choice([self.w.coll("dt_posts"), self.w.coll("dt_tags")])
        rid = self.w.new_id()   # explicit ids: server-generated ones would sort differently on each side
        body = self.rng.choice([RawBody(b"[1,2]", "application/json"), RawBody(b"{bad", "application/json"),
                                RawBody(f"id={rid}&title=x".encode(), "text/plain"), RawBody(b"", "application/json"),
                                RawBody(f"id={rid}&title=urlenc&meta=42".encode(), "application/x-www-form-urlencoded"),
                                RawBody(f'{{"id":"{rid}","title":"dup","title":"dup2"}}'.encode(), "application/json")])
        c.ids.append(rid)
        return Req("POST", f"/api/collections/{c.name}/records", role, body=body, tag="special:raw-body",
                   kind="create", coll=c.name, rid=rid)

    def sp_request_filter(self, role: str) -> Req:
        """@collection / @request in client filters (superusers only)."""
        f = self.rng.choice([Cmp("@collection.dt_people.role", "?=", "'manager'"), Cmp("@request.auth.id", "!=", "''"),
                             Cmp("owner", "=", "@request.auth.id"), Cmp("@request.query.dtq", "=", "'1'")])
        return self.list_of(self.w.coll("dt_posts"), role, [["filter", f], ["dtq", "1"], ["sort", "id"]],
                            "special:request-filter")

    def sp_modifier(self, role: str) -> Req:
        """Update modifiers: number +/-, multi-relation/select append, prepend, remove, :autogenerate."""
        posts, tags = self.w.coll("dt_posts"), self.w.coll("dt_tags")
        rid = self.pick_id(posts)
        rng = self.rng
        body = rng.choice([{"score+": 3}, {"score-": 10}, {"tags+": rng.choice(tags.ids or ["x"])},
                           {"+tags": [rng.choice(tags.ids or ["x"])]}, {"tags-": rng.choice(tags.ids or ["x"])},
                           {"labels+": "zzz"}, {"title:autogenerate": "x"}])
        return Req("PATCH", f"/api/collections/{posts.name}/records/{rid}", "superuser", body=body,
                   tag="special:modifier", kind="update", coll=posts.name, rid=rid)

    def sp_view_lifecycle(self, role: str) -> list:
        """Create a view over dt_posts with random expression columns, read it, drop it."""
        return self.view_lifecycle()


VIEW_EXPRS = ["score", "(score * 2)", "score*2", "score * 2", "(score + 1)", "CAST(score AS INTEGER)",
              "CAST(score AS REAL)", "CAST(score AS NUMERIC)", "CAST(score AS TEXT)", "(CAST(score AS INTEGER))",
              "COUNT(*)", "(COUNT(*) + 1)", "SUM(score)", "TOTAL(score)", "AVG(score)", "MAX(score)", "MIN(due)",
              "MAX(created)", "length(title)", "upper(title)", "COALESCE(title, '')", "IIF(flag, 'y', 'n')",
              "json_extract(meta, '$.a')", "json_extract(meta, '$')", "abs(score)", "ROUND(score)", "flag", "due",
              "title", "meta", "tags", "owner", "NULL", "1", "'lit'", "group_concat(title)", "(score > 5)"]


def quote_lit(s: str, double: bool = False) -> str:
    """A fexpr text literal; only the same quote can be escaped (with a backslash)."""
    q = '"' if double else "'"
    return q + s.replace(q, "\\" + q) + q


# ----------------------------------------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Resp:
    status: int
    body: bytes
    ctype: str = ""


class Server:
    def __init__(self, name: str, url: str, timeout: float):
        u = urllib.parse.urlsplit(url)
        if u.hostname not in ("127.0.0.1", "localhost", "::1"):
            fail(f"refusing non-loopback server {url}")
        self.name, self.url = name, url.rstrip("/")
        self.host, self.port = u.hostname, u.port or 80
        self.timeout = timeout
        self.tokens: dict[str, str] = {}
        self.superuser_id = ""
        self.failures = 0

    def send(self, req: Req) -> Resp:
        data, ctype = encode_body(req.body)
        headers = {"Accept": "application/json"}
        headers.update(req.headers)
        if ctype:
            headers["Content-Type"] = ctype
        tok = self.tokens.get(req.role)
        if tok:
            headers["Authorization"] = tok
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(req.method, render_url(req), body=data if data or req.method != "GET" else None,
                         headers=headers)
            r = conn.getresponse()
            body = r.read()
            self.failures = 0
            return Resp(r.status, body, r.getheader("Content-Type") or "")
        except (OSError, http.client.HTTPException) as e:
            self.failures += 1
            return Resp(-1, f"<transport error: {e.__class__.__name__}: {e}>".encode())
        finally:
            conn.close()


# ----------------------------------------------------------------------------------------------------------------
# Normalisation and comparison
# ----------------------------------------------------------------------------------------------------------------

class Normaliser:
    """Masks what legitimately differs between two servers: server timestamps, tokens, upload names, ids the
    server generated."""

    def __init__(self, world: World, t0: float):
        self.w = world
        self.t0 = t0
        self.autodate_keys = {"created", "updated"} | {f.name for c in world.colls for f in c.fields
                                                       if f.type == "autodate"}
        self.id_maps: dict[str, dict] = {"A": {}, "B": {}}   # per server: server id -> placeholder
        # text fields with an autogeneratePattern fill empty values with random text on both servers
        self.autogen: dict[str, list] = {}
        for c in world.colls:
            for f in c.fields:
                pat = f.opts.get("autogeneratePattern") if f.type == "text" else ""
                if pat:
                    self.autogen.setdefault(f.name, []).append(re.compile(pat))

    def is_server_time(self, s: str) -> bool:
        if s in self.w.sent_dates:
            return False
        try:
            t = dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc).timestamp()
        except ValueError:
            return False
        return self.t0 - 300 <= t <= time.time() + 300

    def norm(self, v, side: str, key: str = ""):
        if key == "fields" and isinstance(v, list) and v and all(isinstance(x, dict) and "name" in x for x in v):
            # collection JSON: compare field definitions by name, and their order separately
            out = {"<order>": [x.get("name") for x in v]}
            for x in v:
                out[str(x.get("name"))] = self.norm(x, side, "")
            return out
        if isinstance(v, dict):
            return {k: self.norm(x, side, k) for k, x in v.items()}
        if isinstance(v, list):
            return [self.norm(x, side, key) for x in v]
        if isinstance(v, str):
            return self.norm_str(v, side, key)
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2 ** 53:
            # clients read JSON numbers as float64: 12345678901234567000 and 1.2345678901234567e+19 are one value
            return float(v)
        return v

    def norm_str(self, s: str, side: str, key: str) -> str:
        if s in self.id_maps[side]:
            return self.id_maps[side][s]
        for pat in self.autogen.get(key, ()):
            if pat.fullmatch(s):
                return "<autogenerated>"
        if DATE_RE.match(s) and (key in self.autodate_keys or self.is_server_time(s)):
            return "<date>"
        if JWT_RE.match(s):
            return "<jwt " + jwt_claims(s, self, side) + ">"
        if CLONE_ID_RE.match(s):
            return "_clone_<random>"
        if "_" in s and "." in s:
            s = FILE_RE.sub(lambda m: m.group(1) + "_<random10>" + m.group(2), s)
        return s


def jwt_claims(tok: str, n: Normaliser, side: str) -> str:
    try:
        payload = tok.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except Exception:
        return "undecodable"
    claims.pop("exp", None)
    if "id" in claims:
        claims["id"] = n.id_maps[side].get(claims["id"], claims["id"])
    return json.dumps(claims, sort_keys=True)


@dataclass
class Comparison:
    diverges: bool
    paths: list            # differing paths, e.g. ["<status>", "items.3.meta"]
    note: str = ""
    values: list = dc_field(default_factory=list)   # [(path, normalised A value, normalised B value)]


def parse_body(body: bytes):
    if not body.strip():
        return ("empty", None)
    try:
        return ("json", json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ("raw", body)


MISSING = "<absent>"


def diff_paths(a, b, path: str, out: list, values: list, limit: int = 40) -> None:
    """Appends every differing path (and its two values) of two normalised JSON values."""
    if len(out) >= limit:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if path else k
            if k not in a:
                out.append(p + " (only in B)")
                values.append((p, MISSING, b[k]))
            elif k not in b:
                out.append(p + " (only in A)")
                values.append((p, a[k], MISSING))
            else:
                diff_paths(a[k], b[k], p, out, values, limit)
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path} (length {len(a)} vs {len(b)})")
            values.append((path + ".<length>", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff_paths(x, y, f"{path}.{i}", out, values, limit)
        return
    numbers = isinstance(a, (int, float)) and isinstance(b, (int, float)) \
        and not isinstance(a, bool) and not isinstance(b, bool)
    if a != b or (type(a) is not type(b) and not numbers):
        out.append(path or "<body>")
        values.append((path or "<body>", a, b))


def has_random_sort(req: Req) -> bool:
    s = req.param("sort")
    return isinstance(s, str) and "@random" in s


def sort_keys(req: Req, items: list) -> Optional[list]:
    """Per item, the tuple of its (normalised) sort-field values; None when a key is not visible in the items
    (relation paths, macros, fields projected away) so ties cannot be judged."""
    s = req.param("sort")
    if not isinstance(s, str) or not s.strip():
        return None
    names = [x.strip().lstrip("+-") for x in s.split(",") if x.strip()]
    if any(not n or n.startswith("@") or "." in n for n in names):
        return None
    keys = []
    for it in items:
        if not isinstance(it, dict) or any(n not in it for n in names):
            return None
        keys.append(tuple(json.dumps(it[n], sort_keys=True) for n in names))
    return keys


def ties_only(req: Req, a: list, b: list) -> bool:
    """True when two item lists differ only in the order of items whose sort keys tie (SQLite may return tied
    rows in any order; a tie group at the page edge may even hold different rows)."""
    ka, kb = sort_keys(req, a), sort_keys(req, b)
    if ka is None or kb is None or ka != kb:
        return False
    dump = lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False)
    i = 0
    while i < len(ka):
        j = i
        while j < len(ka) and ka[j] == ka[i]:
            j += 1
        at_edge = i == 0 or j == len(ka)
        if not at_edge and sorted(map(dump, a[i:j])) != sorted(map(dump, b[i:j])):
            return False
        i = j
    return True


def dump_json(x) -> str:
    return json.dumps(x, sort_keys=True, ensure_ascii=False)


def unsorted_join(req: Req) -> bool:
    f = req.param("filter")
    if req.param("sort") or f is None:
        return False
    text = render_value(f)
    return "." in text or "@collection" in text or "_via_" in text


def compare(req: Req, ra: Resp, rb: Resp, n: Normaliser) -> Comparison:
    paths = []
    if ra.status != rb.status:
        paths.append("<status>")
    ka, va = parse_body(ra.body)
    kb, vb = parse_body(rb.body)
    if ka != kb and has_random_sort(req) and "empty" in (ka, kb) and ra.status == rb.status:
        # PocketBase answers 200 with an empty body when a row fails to serialise; whether @random puts such
        # a row on the page is chance, so only the status is comparable here.
        return Comparison(False, [], "@random page with an unserialisable row: status only")
    if ka != kb:
        paths.append(f"<body kind {ka} vs {kb}>")
        return Comparison(True, paths)
    if ka == "raw":
        if va != vb:
            paths.append("<raw body>")
        return Comparison(bool(paths), paths)
    if ka == "empty":
        return Comparison(bool(paths), paths)
    na, nb = n.norm(va, "A"), n.norm(vb, "B")
    note = ""
    if has_random_sort(req) and isinstance(na, dict) and isinstance(nb, dict) and isinstance(na.get("items"), list) \
            and isinstance(nb.get("items"), list):
        # @random order is nondeterministic: compare the items as multisets, or only their number when the
        # page holds a random subset of the matching records.
        key = lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False)
        if na.get("totalItems") == len(na["items"]) and nb.get("totalItems") == len(nb["items"]):
            na = dict(na, items=sorted(na["items"], key=key))
            nb = dict(nb, items=sorted(nb["items"], key=key))
            note = "@random: items compared as multisets"
        else:
            na = dict(na, items=len(na["items"]))
            nb = dict(nb, items=len(nb["items"]))
            note = "@random: a random page, only its size compared"
    elif isinstance(na, dict) and isinstance(nb, dict) and isinstance(na.get("items"), list) \
            and isinstance(nb.get("items"), list) and na["items"] != nb["items"] \
            and ties_only(req, na["items"], nb["items"]):
        na = dict(na, items="<same up to tie order>")
        nb = dict(nb, items="<same up to tie order>")
        note = "items differ only in the order of tied sort keys"
    elif isinstance(na, dict) and isinstance(nb, dict) and isinstance(na.get("items"), list) \
            and isinstance(nb.get("items"), list) and na["items"] != nb["items"] and unsorted_join(req) \
            and sorted(map(dump_json, na["items"])) == sorted(map(dump_json, nb["items"])):
        # Without a sort, a filter that joins (relations, back-relations, @collection) makes SQLite return the
        # rows in a query-plan-dependent order: the same rows in another order is not a divergence.
        na = dict(na, items="<same rows, unspecified order>")
        nb = dict(nb, items="<same rows, unspecified order>")
        note = "same rows in another order (no sort, joined filter)"
    values: list = []
    diff_paths(na, nb, "", paths, values)
    return Comparison(bool(paths), paths, note, values)


def path_shape(p: str) -> str:
    """items.3.meta -> items.*.meta; record ids -> <id>."""
    parts = []
    for seg in p.split("."):
        if seg.isdigit():
            parts.append("*")
        elif RECORD_ID_RE.match(seg.split(" ")[0]):
            parts.append("<id>")
        else:
            parts.append(seg)
    return ".".join(parts)


def shapes(cmp: Comparison) -> set:
    return {path_shape(p) for p in cmp.paths}


# ----------------------------------------------------------------------------------------------------------------
# Running: sends each request to both servers, keeps the two states in step, records divergences.
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Divergence:
    index: int
    req: Req
    ra: Resp
    rb: Resp
    cmp: Comparison
    signature: tuple
    count: int = 1
    reduced: Optional[Req] = None
    reduced_ra: Optional[Resp] = None
    reduced_rb: Optional[Resp] = None
    reduce_note: str = ""
    duplicates: list = dc_field(default_factory=list)
    cluster: str = ""


class ServerDown(Exception):
    """A server stopped answering mid-run: stop, but still report what was found."""


class Runner:
    def __init__(self, args, world: World, servers: list):
        self.args = args
        self.w = world
        self.A, self.B = servers
        self.t0 = time.time()
        self.deadline = self.t0 + args.budget_seconds
        self.norm = Normaliser(world, self.t0)
        self.sent = 0
        self.divergent = 0
        self.by_signature: dict = {}     # coarse signature -> [Divergence]
        self.distinct: list = []         # Divergence, in discovery order, after dedupe
        self.reductions = 0
        self.scratch_rng = random.Random(args.seed * 104729 + 3)   # scratch ids: never touch the main sequence

    def out_of_time(self, margin: float = 0) -> bool:
        return time.time() + margin > self.deadline

    # ---- sending
    def both(self, req: Req) -> tuple:
        ra = self.A.send(req)
        rb = self.B.send(req)
        if self.A.failures > 20 or self.B.failures > 20:
            raise ServerDown("a server stopped answering (20 transport errors in a row)")
        return ra, rb

    def superuser_login(self) -> None:
        """Log in as the configured superuser, then create and use a superuser with a seed-fixed id on both
        servers: the bootstrap superusers have random ids, and `@request.auth.id` must be equal on A and B."""
        sid = "dtsu" + "".join(random.Random(self.args.seed).choice("abcdefghijklmnopqrstuvwxyz0123456789")
                               for _ in range(11))
        su = {"id": sid, "email": f"difftest-{sid}@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD}
        for s in (self.A, self.B):
            r = s.send(Req("POST", "/api/collections/_superusers/auth-with-password", "guest",
                           body={"identity": self.args.email, "password": self.args.password}))
            if r.status != 200:
                fail(f"superuser login on {s.name} failed: {r.status} {r.body[:300]!r}")
            s.tokens["superuser"] = json.loads(r.body)["token"]
            s.send(Req("POST", "/api/collections/_superusers/records", "superuser", body=su))
            r = s.send(Req("POST", "/api/collections/_superusers/auth-with-password", "guest",
                           body={"identity": su["email"], "password": PASSWORD}))
            if r.status != 200:
                fail(f"could not create the difftest superuser on {s.name}: {r.status} "
                                 f"{r.body[:300]!r}")
            s.tokens["superuser"] = json.loads(r.body)["token"]

    def learn(self, req: Req, ra: Resp, rb: Resp) -> None:
        """Pick up per-server state: tokens from setup logins, ids the servers generated themselves."""
        if req.tag.startswith("setup:login:") and ra.status == 200 and rb.status == 200:
            role = req.tag.split(":")[-1]
            self.A.tokens[role] = json.loads(ra.body)["token"]
            self.B.tokens[role] = json.loads(rb.body)["token"]
        if req.kind == "create" and ra.status == 200 and rb.status == 200 and not requested_id(req):
            try:
                ida, idb = json.loads(ra.body).get("id"), json.loads(rb.body).get("id")
            except (json.JSONDecodeError, AttributeError):
                return
            if isinstance(ida, str) and isinstance(idb, str) and ida != idb:
                ph = f"<generated id {len(self.norm.id_maps['A'])}>"
                self.norm.id_maps["A"][ida] = ph
                self.norm.id_maps["B"][idb] = ph

    def resync(self, req: Req, ra: Resp, rb: Resp) -> None:
        """After a mutation whose outcome differed, delete the record on both servers so the divergence does
        not leak into every later response (the generator still knows the id: later requests just 404)."""
        if req.kind == "collection" and req.method == "POST" and ra.status != rb.status and req.coll:
            for s in (self.A, self.B):
                s.send(Req("DELETE", f"/api/collections/{req.coll}", "superuser"))
            return
        if req.kind not in ("create", "update", "delete") or not req.coll:
            return
        ids = set()
        if req.rid and req.rid not in self.w.protected_ids:
            ids.add(req.rid)
        for r in (ra, rb):
            try:
                rid = json.loads(r.body).get("id")
                if isinstance(rid, str) and rid not in self.w.protected_ids:
                    ids.add(rid)
            except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
                pass
        for rid in sorted(ids):
            for s in (self.A, self.B):
                s.send(Req("DELETE", f"/api/collections/{req.coll}/records/{rid}", "superuser"))

    def run(self, reqs: list) -> None:
        self.superuser_login()
        for i, req in enumerate(reqs):
            if self.out_of_time(margin=min(60.0, self.args.budget_seconds * 0.1)):
                log(f"difftest: time budget reached after {i} requests")
                break
            ra, rb = self.both(req)
            self.sent += 1
            self.learn(req, ra, rb)
            cmp = compare(req, ra, rb, self.norm)
            if cmp.diverges:
                self.divergent += 1
                self.resync(req, ra, rb)
                self.record(i, req, ra, rb, cmp)
            elif req.kind == "create" and not requested_id(req):
                # Each server generated its own id: the records would sort differently by id on the two
                # sides from now on, so drop them (the create itself has been compared).
                self.resync(req, ra, rb)
            if (i + 1) % 250 == 0:
                log(f"difftest: {i + 1}/{len(reqs)} requests, {self.divergent} divergent, "
                    f"{len(self.distinct)} distinct, {time.time() - self.t0:.0f}s")

    # ---- divergence bookkeeping
    def signature(self, req: Req, ra: Resp, rb: Resp, cmp: Comparison) -> tuple:
        coll = self.w.coll(req.coll).type if req.coll and self._known(req.coll) else "-"
        sh = sorted(shapes(cmp))[:6]
        return (req.kind, req.tag, req.coll or "", coll, ra.status, rb.status, tuple(sh))

    def _known(self, name: str) -> bool:
        return any(c.name == name for c in self.w.colls)

    def record(self, i: int, req: Req, ra: Resp, rb: Resp, cmp: Comparison) -> None:
        sig = self.signature(req, ra, rb, cmp)
        seen = self.by_signature.setdefault(sig, [])
        log(f"difftest: divergence #{self.divergent} at request {i}: {req.method} {render_url(req)[:140]!r} "
            f"[{req.role}] A={ra.status} B={rb.status} {cmp.paths[:4]}")
        if seen and len(seen) >= 3:
            seen[0].count += 1
            return
        d = Divergence(i, req, ra, rb, cmp, sig)
        if seen:
            seen[0].count += 1
            seen[0].duplicates.append(i)
        seen.append(d)
        self.reduce(d)
        if d.reduced is None:
            # Not reduced (budget, or it did not reproduce): fold it into a like divergence when there is one.
            for other in self.distinct:
                if other.signature[:6] == sig[:6]:
                    other.count += 1
                    other.duplicates.append(i)
                    return
        # After reduction, a different-looking request may turn out to be the same minimal case.
        if d.reduced is not None:
            key = cluster_key(d.reduced, compare(d.reduced, d.reduced_ra, d.reduced_rb, self.norm), self.w,
                              (d.reduced_ra.status, d.reduced_rb.status))
            for other in self.distinct:
                if other.cluster == key:
                    other.count += 1
                    other.duplicates.append(i)
                    return
            d.cluster = key
        self.distinct.append(d)

    # ---- reduction (delta debugging)
    def reduce(self, d: Divergence) -> None:
        if self.reductions >= self.args.max_reductions or self.out_of_time(margin=30):
            d.reduce_note = "not reduced (reduction budget used up)"
            return
        self.reductions += 1
        red = Reducer(self, d)
        red.run()


def requested_id(req: Req) -> bool:
    """Whether a create request names its record id (then differing ids in the responses are a divergence,
    not two servers legitimately generating different ids)."""
    b = req.body
    if isinstance(b, dict):
        return bool(b.get("id"))
    if isinstance(b, Multipart):
        return any(p.name == "id" and p.value for p in b.parts) or \
            any(p.name == "@jsonPayload" and '"id"' in p.value for p in b.parts)
    if isinstance(b, RawBody):
        return b"id" in b.data
    return False


def mask_expr(text: str) -> str:
    """Filter / fields / sort / expand text with literals and names masked, keeping operators, macros,
    modifiers and NUL bytes: `title:excerpt(abc)` and `note:excerpt(xyz)` mask alike."""
    text = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", lambda m: "#S0" if "\x00" in m.group() else "#S", text)
    text = re.sub(r"(?<![\w@.:#])-?\d+(\.\d+)?", "#N", text)
    return re.sub(r"(?<![@\w:#])[A-Za-z_]\w*", "f", text)


def value_kind(v) -> str:
    if isinstance(v, dict) and isinstance(v.get("code"), str):
        return v["code"]
    if v == MISSING:
        return "absent"
    return type(v).__name__


def cluster_key(req: Req, cmp: Comparison, world: "World", status: tuple) -> str:
    """Two minimal divergences with the same key are very likely the same cause: the request with names and
    literals masked, plus what differs (paths with field names masked, error codes / value types)."""
    names = {f.name for c in world.colls for f in c.fields} | {n for c in world.colls for n, _ in c.view_cols}
    ctype = "-"
    for c in world.colls:
        if c.name == req.coll:
            ctype = c.type
    path = re.sub(r"/collections/[^/]+", f"/collections/<{ctype}>", req.path)
    path = re.sub(r"/records/[^/]+$", "/records/:id", path)
    params = []
    for k, v in req.params:
        text = render_value(v)
        if k == "filter":
            # coarse: which macros / @request / @collection / modifiers / NULs it uses, not its shape
            marks = sorted(set(re.findall(r"@\w+|:\w+", text)) | ({"NUL"} if "\x00" in text else set()))
            params.append("filter{" + ",".join(marks) + "}")
        elif k in ("page", "perPage", "skipTotal"):
            params.append("paging" + ("" if re.fullmatch(r"-?\d+", text) else "(invalid)"))
        elif k != "dtq":
            params.append(f"{k}={mask_expr(text)}")
    params = sorted(set(params))
    body = type(req.body).__name__
    if isinstance(req.body, Multipart):
        body += f"[files={sum(p.filename is not None for p in req.body.parts)},many={len(req.body.parts) > 100}]"
    diffs = set()
    for p, va, vb in cmp.values[:8]:
        segs = ["*" if x.isdigit() else ("f" if x in names else x) for x in p.split(".")]
        diffs.add(f"{'.'.join(segs)}:{value_kind(va)}/{value_kind(vb)}")
    role = "superuser" if req.role == "superuser" else ("guest" if req.role == "guest" else "user")
    return f"{req.method} {path} {role} {'&'.join(params)} {body} {status} {sorted(diffs)}"


class Reducer:
    """Shrinks a divergent request while it keeps diverging the same way: role, query params, list items
    in expand/fields/sort, the filter (to its smallest diverging sub-expression), body keys and parts.
    Mutations are replayed on scratch records so reduction never disturbs the main sequence's state."""

    MAX_CANDIDATES = 160

    def __init__(self, runner: Runner, d: Divergence):
        self.r = runner
        self.d = d
        self.tries = 0
        self.started = time.time()

    def budget_left(self) -> bool:
        return self.tries < self.MAX_CANDIDATES and time.time() - self.started < self.r.args.reduce_seconds \
            and not self.r.out_of_time(margin=20)

    def scratch_id(self) -> str:
        return "".join(self.r.scratch_rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(15))

    def execute(self, req: Req) -> tuple:
        """Send `req` to both servers with scratch state; returns (request as sent, ra, rb)."""
        r = self.r
        if req.kind == "collection" and req.method == "POST" and isinstance(req.body, dict):
            name = f"dt_scratch{self.r.reductions}_{self.tries}"
            body = dict(req.body, id=gen_coll_id(self.r.scratch_rng), name=name)
            if isinstance(body.get("indexes"), list) and req.body.get("name"):   # index and table names follow
                body["indexes"] = [str(ix).replace(req.body["name"], name) for ix in body["indexes"]]
            sent = req.copy(body=body, coll=name)
            ra, rb = r.both(sent)
            for s in (r.A, r.B):
                s.send(Req("DELETE", f"/api/collections/{name}", "superuser"))
            return sent, ra, rb
        if req.kind == "create" and req.coll:
            sent = with_record_id(req, self.scratch_id(), replace_path=False)
            ra, rb = r.both(sent)
            r.resync(sent, ra, rb)
            return sent, ra, rb
        if req.kind in ("update", "delete") and req.coll and req.rid:
            c = r.w.coll(req.coll) if r._known(req.coll) else None
            origin = c.create_reqs.get(req.rid) if c else None
            if origin is None:   # no recipe for a scratch copy (missing id, role user): replay in place
                ra, rb = r.both(req)
                if compare(req, ra, rb, r.norm).diverges:
                    r.resync(req, ra, rb)
                return req, ra, rb
            sid = self.scratch_id()
            make = with_record_id(origin.copy(role="superuser"), sid, replace_path=False)
            r.both(make)
            sent = with_record_id(req, sid, replace_path=True)
            ra, rb = r.both(sent)
            r.resync(make.copy(rid=sid), Resp(0, b""), Resp(0, b""))
            return sent, ra, rb
        return (req,) + r.both(req)

    def check(self, cand: Req) -> Optional[tuple]:
        """(ra, rb, cmp) if `cand` still diverges like the original, else None."""
        if not self.budget_left():
            return None
        self.tries += 1
        sent, ra, rb = self.execute(cand)
        cmp = compare(sent, ra, rb, self.r.norm)
        if not cmp.diverges:
            return None
        o = self.d
        if (ra.status, rb.status) != (o.ra.status, o.rb.status):
            return None
        if o.ra.status == o.rb.status and not (shapes(cmp) & shapes(o.cmp)):
            return None
        return sent, ra, rb, cmp

    def run(self) -> None:
        d = self.d
        first = self.check(d.req.copy())
        if first is None:
            d.reduce_note = "did not reproduce on replay (flaky, time-dependent, or state-dependent)"
            return
        best, best_res = d.req.copy(), first
        progress = True
        while progress and self.budget_left():
            progress = False
            for cand in self.candidates(best):
                res = self.check(cand)
                if res is not None:
                    best, best_res, progress = cand, res, True
                    break
        d.reduced, d.reduced_ra, d.reduced_rb, _ = best_res
        d.reduce_note = f"reduced with {self.tries} replays"

    def candidates(self, req: Req):
        """Smaller variants of `req`, most aggressive first."""
        if req.role not in ("guest", "superuser"):
            yield req.copy(role="guest")
        if req.headers:
            yield req.copy(headers={})
        for i in range(len(req.params)):
            yield req.copy(params=req.params[:i] + req.params[i + 1:])
        for i, (k, v) in enumerate(req.params):
            if k == "filter" and not isinstance(v, str):
                subs = sorted(filter_subexpressions(v), key=lambda n: (n.leaves(), len(n.render())))
                for sub in subs:
                    if sub.leaves() < v.leaves() or len(sub.render()) < len(v.render()):
                        yield self.with_param(req, i, sub)
            elif k in ("expand", "fields", "sort") and "," in v:
                items = v.split(",")
                for j in range(len(items)):
                    yield self.with_param(req, i, ",".join(items[:j] + items[j + 1:]))
        body = req.body
        if isinstance(body, dict):
            for key in list(body):
                if key == "id" and req.kind == "create":
                    continue
                nb = dict(body)
                del nb[key]
                yield req.copy(body=nb)
            for key, val in body.items():
                if isinstance(val, (dict, list)) and val:
                    for smaller in shrink_json(val):
                        nb = dict(body)
                        nb[key] = smaller
                        yield req.copy(body=nb)
            split = split_select(body.get("viewQuery") or "") if req.kind == "collection" else None
            if split and len(split[1]) > 1:
                head, cols, tail = split
                for j in range(1, len(cols)):          # keep column 0 (the id)
                    yield req.copy(body=dict(body, viewQuery=head + ", ".join(cols[:j] + cols[j + 1:]) + tail))
        elif isinstance(body, Multipart):
            parts = body.parts
            if len(parts) > 40:   # threshold-like failures: binary-search the part count first
                yield req.copy(body=Multipart(parts[:len(parts) // 2 + 1]))
                yield req.copy(body=Multipart(parts[:len(parts) * 3 // 4 + 1]))
                yield req.copy(body=Multipart(parts[:len(parts) - max(1, len(parts) // 16)]))
            else:
                for j in range(len(parts)):
                    if parts[j].name == "id" and req.kind == "create":
                        continue
                    yield req.copy(body=Multipart(parts[:j] + parts[j + 1:]))

    @staticmethod
    def with_param(req: Req, i: int, value) -> Req:
        params = [list(p) for p in req.params]
        params[i][1] = value
        return req.copy(params=params)


def shrink_json(v):
    if isinstance(v, dict):
        for k in v:
            yield {kk: vv for kk, vv in v.items() if kk != k}
    elif isinstance(v, list):
        for j in range(len(v)):
            yield v[:j] + v[j + 1:]


def split_select(query: str) -> Optional[tuple]:
    """("SELECT ", [columns], " FROM ...") split at top-level commas, or None."""
    m = re.match(r"(?is)^(\s*SELECT\s+)(.*?)(\s+FROM\s.*)$", query)
    if not m:
        return None
    cols, depth, cur = [], 0, ""
    for ch in m.group(2):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            cols.append(cur.strip())
            cur = ""
        else:
            cur += ch
    cols.append(cur.strip())
    return m.group(1), cols, m.group(3)


def with_record_id(req: Req, rid: str, replace_path: bool) -> Req:
    """A copy of `req` that creates / targets record `rid` instead of the original one (deliberately invalid
    ids such as "has/slash12345x" are kept: they are what the request tests)."""
    if not RECORD_ID_RE.match(req.rid or ""):
        return req.copy()
    req = req.copy(rid=rid)
    if replace_path:
        req.path = re.sub(r"/records/[^/]+$", f"/records/{rid}", req.path)
        return req
    if isinstance(req.body, dict) and "id" in req.body:
        req.body = dict(req.body, id=rid)
    elif isinstance(req.body, Multipart):
        req.body = Multipart([Part("id", rid) if p.name == "id" and p.filename is None else p
                              for p in req.body.parts])
    return req


# ----------------------------------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------------------------------

def show_resp(name: str, r: Resp, limit: int) -> str:
    body = r.body.decode("utf-8", "replace")
    if len(body) > limit:
        body = body[:limit] + f"... ({len(r.body)} bytes)"
    return f"{name}: {r.status} {body.rstrip()}"


def fingerprint(d: "Divergence", norm) -> str:
    """One line a documented divergence is matched against: request kind, collection, tag, statuses, the
    differing paths and values of the reduced request."""
    req = d.reduced or d.req
    ra, rb = (d.reduced_ra, d.reduced_rb) if d.reduced else (d.ra, d.rb)
    cmp = compare(req, ra, rb, norm)
    values = "; ".join(f"{p}: {json.dumps(va, ensure_ascii=False)} vs {json.dumps(vb, ensure_ascii=False)}"
                       for p, va, vb in cmp.values[:6])
    params = ",".join(k for k, _ in req.params)
    return (f"{req.kind} {d.req.coll or ''} [{d.req.tag}] {ra.status} vs {rb.status} | params={params} | "
            f"{', '.join(cmp.paths)} | {values}")


def load_known(path: Optional[str]) -> list:
    """(compiled regex, reason) pairs; blank lines and # comments skipped."""
    if not path:
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            pattern, _, reason = line.partition("\t")
            out.append((re.compile(pattern), reason.strip() or "documented"))
    return out


def known_reason(d: "Divergence", norm, known: list) -> Optional[str]:
    text = fingerprint(d, norm)
    for rx, reason in known:
        if rx.search(text):
            return reason
    return None


def report(runner: Runner, a_name: str, b_name: str, limit: int = 1500, known: Optional[list] = None) -> str:
    out = []
    for n, d in enumerate(runner.distinct, 1):
        req = d.reduced or d.req
        ra, rb = (d.reduced_ra, d.reduced_rb) if d.reduced else (d.ra, d.rb)
        cmp = compare(req, ra, rb, runner.norm)
        reason = known_reason(d, runner.norm, known or [])
        out.append(f"## D{n}: {req.kind} {d.req.coll or ''} [{d.req.tag}]  {a_name} {ra.status} vs {b_name} {rb.status}"
                   f"  (seen {d.count}x, first at request #{d.index})" + (f"  KNOWN: {reason}" if reason else ""))
        out.append(f"differs at: {', '.join(cmp.paths[:8])}")
        for path, va, vb in cmp.values[:6]:
            sa = json.dumps(va, ensure_ascii=False)[:240]
            sb = json.dumps(vb, ensure_ascii=False)[:240]
            out.append(f"    {path}: {a_name}={sa}  {b_name}={sb}")
        out.append(f"({d.reduce_note})")
        out.append("```")
        out.append(describe_req(req))
        out.append("```")
        out.append("```")
        out.append(show_resp(a_name, ra, limit))
        out.append(show_resp(b_name, rb, limit))
        out.append("```")
        if d.reduced is not None:
            out.append("original request:")
            out.append("```")
            out.append(describe_req(d.req, max_parts=6)[:2000])
            out.append("```")
        out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Seeded generated differential tester (A = reference, B = candidate).")
    p.add_argument("--a", default="http://127.0.0.1:19100", help="reference server URL (PocketBase)")
    p.add_argument("--b", default="http://127.0.0.1:19200", help="server under test URL (sptfy-dev)")
    p.add_argument("--a-name", default="A")
    p.add_argument("--b-name", default="B")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--requests", type=int, default=1000, help="random requests after the setup sequence")
    p.add_argument("--budget-seconds", type=float, default=1800, help="hard wall-clock limit for the whole run")
    p.add_argument("--reduce-seconds", type=float, default=30, help="wall-clock limit for reducing one divergence")
    p.add_argument("--max-reductions", type=int, default=300, help="divergences to reduce at most")
    p.add_argument("--timeout", type=float, default=30, help="per-request timeout (s)")
    p.add_argument("--email", default="admin@sptfy.local", help="superuser email (both servers)")
    p.add_argument("--password", default="sptfy-dev-password", help="superuser password (both servers)")
    p.add_argument("--report", help="write the markdown report of distinct divergences here")
    p.add_argument("--known", help="file of documented divergences (REGEX<TAB>REASON per line) that do not fail the run")
    p.add_argument("--dry-run", action="store_true", help="print the generated requests and exit")
    return p.parse_args(argv)


def generate(seed: int, n: int, anchor: dt.datetime) -> tuple:
    world = build_world(seed, anchor)
    gen = Generator(world, seed)
    reqs = gen.setup_requests()
    for _ in range(n):
        r = gen.random_request()
        reqs += r if isinstance(r, list) else [r]
    return world, reqs


def main(argv=None) -> int:
    args = parse_args(argv)
    # SIGTERM (e.g. from difftest.sh's cleanup) ends the run like Ctrl-C: the report is still written.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    anchor = dt.datetime.now(dt.timezone.utc)
    world, reqs = generate(args.seed, args.requests, anchor)
    if args.dry_run:
        for i, r in enumerate(reqs):
            print(f"--- #{i} ({r.tag})\n{describe_req(r, max_parts=4)}")
        return 0
    servers = [Server("A", args.a, args.timeout), Server("B", args.b, args.timeout)]
    runner = Runner(args, world, servers)
    t0 = time.time()
    status = 0
    try:
        runner.run(reqs)
    except KeyboardInterrupt:
        log("difftest: interrupted")
    except ServerDown as e:
        log(f"difftest: error: {e}")
        status = 2
    elapsed = time.time() - t0
    known = load_known(args.known)
    text = report(runner, args.a_name, args.b_name, known=known)
    unknown = [d for d in runner.distinct if known_reason(d, runner.norm, known) is None]
    header = (f"# difftest report: seed {args.seed}, {runner.sent} requests, {runner.divergent} divergent, "
              f"{len(runner.distinct)} distinct, {elapsed:.0f}s\n\n"
              f"A = {args.a_name} ({args.a}), B = {args.b_name} ({args.b})\n\n")
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write(header + text)
        log(f"difftest: report written to {args.report}")
    else:
        print(header + text)
    print(f"difftest: {runner.sent} requests, {runner.divergent} divergences (seed {args.seed})")
    print(f"difftest: {len(runner.distinct)} distinct after reduction/dedupe, {elapsed:.0f}s")
    if known:
        print(f"difftest: {len(runner.distinct) - len(unknown)} documented in {args.known}, {len(unknown)} new")
        for d in unknown:
            print(f"difftest: NEW {fingerprint(d, runner.norm)[:300]}")
        return status or (1 if unknown else 0)
    return status or (1 if runner.divergent > 0 else 0)


if __name__ == "__main__":
    sys.exit(main())
