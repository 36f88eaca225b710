//! The two migration trees, `migrations/sqlite` and `migrations/postgres`, must define the same
//! schema: the same files (versions and names), and after each of them the same tables, columns
//! (name, kind of type, NOT NULL, whether there is a default), primary keys, unique constraints,
//! indexes and views. Triggers and functions are dialect-specific and not compared.
//!
//! Always: both trees' SQL is read and compared, and the SQLite tree is applied to an in-memory
//! database whose catalogue must match what was read (so the reading is checked too). With
//! `TRUSTSHARE_TEST_POSTGRES` set, the PostgreSQL tree is applied to a fresh database and its
//! catalogue compared with SQLite's and with what was read.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use sqlx::{Connection, Row};

// ---------------------------------------------------------------------------------------------
// The schema model both the SQL reader and the catalogues produce.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Table>,
    indexes: BTreeMap<String, Index>,
    views: BTreeSet<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    uniques: BTreeSet<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Column {
    kind: String,
    not_null: bool,
    has_default: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if self.not_null {
            write!(f, " NOT NULL")?;
        }
        if self.has_default {
            write!(f, " with a default")?;
        }
        Ok(())
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unique {
            write!(f, "UNIQUE ")?;
        }
        write!(f, "ON {} ({})", self.table, self.columns.join(", "))?;
        if self.partial {
            write!(f, " WHERE …")?;
        }
        Ok(())
    }
}

/// The kind of a declared or catalogue type, the same for both databases' spellings.
fn type_kind(declared: &str) -> String {
    let lower = declared.trim().to_ascii_lowercase();
    let first = lower
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    match first {
        "integer" | "int" | "int2" | "int4" | "int8" | "bigint" | "smallint" | "serial"
        | "bigserial" => "integer",
        "text" | "varchar" | "character" | "char" | "clob" => "text",
        "real" | "double" | "float" | "float4" | "float8" => "real",
        "numeric" | "decimal" => "numeric",
        "boolean" | "bool" => "boolean",
        "blob" | "bytea" => "bytes",
        "" => "(none)",
        other => other,
    }
    .to_owned()
}

/// What differs between two schemas, one line per table, column, key, index or view.
fn differences(a_name: &str, a: &Schema, b_name: &str, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for name in a
        .tables
        .keys()
        .chain(b.tables.keys())
        .collect::<BTreeSet<_>>()
    {
        let (ta, tb) = match (a.tables.get(name), b.tables.get(name)) {
            (Some(ta), Some(tb)) => (ta, tb),
            (Some(_), None) => {
                out.push(format!("table {name} exists only in {a_name}"));
                continue;
            }
            (None, _) => {
                out.push(format!("table {name} exists only in {b_name}"));
                continue;
            }
        };
        for col in ta
            .columns
            .keys()
            .chain(tb.columns.keys())
            .collect::<BTreeSet<_>>()
        {
            match (ta.columns.get(col), tb.columns.get(col)) {
                (Some(ca), Some(cb)) if ca != cb => out.push(format!(
                    "column {name}.{col}: {a_name} has {ca}, {b_name} has {cb}"
                )),
                (Some(_), None) => out.push(format!("column {name}.{col} exists only in {a_name}")),
                (None, Some(_)) => out.push(format!("column {name}.{col} exists only in {b_name}")),
                _ => {}
            }
        }
        if ta.primary_key != tb.primary_key {
            out.push(format!(
                "primary key of {name}: {a_name} has ({}), {b_name} has ({})",
                ta.primary_key.join(", "),
                tb.primary_key.join(", ")
            ));
        }
        for cols in ta.uniques.difference(&tb.uniques) {
            out.push(format!(
                "unique constraint {name} ({}) exists only in {a_name}",
                cols.join(", ")
            ));
        }
        for cols in tb.uniques.difference(&ta.uniques) {
            out.push(format!(
                "unique constraint {name} ({}) exists only in {b_name}",
                cols.join(", ")
            ));
        }
    }
    for name in a
        .indexes
        .keys()
        .chain(b.indexes.keys())
        .collect::<BTreeSet<_>>()
    {
        match (a.indexes.get(name), b.indexes.get(name)) {
            (Some(ia), Some(ib)) if ia != ib => out.push(format!(
                "index {name}: {a_name} has {ia}, {b_name} has {ib}"
            )),
            (Some(ia), None) => out.push(format!("index {name} {ia} exists only in {a_name}")),
            (None, Some(ib)) => out.push(format!("index {name} {ib} exists only in {b_name}")),
            _ => {}
        }
    }
    for view in a.views.symmetric_difference(&b.views) {
        let side = if a.views.contains(view) {
            a_name
        } else {
            b_name
        };
        out.push(format!("view {view} exists only in {side}"));
    }
    out
}

fn assert_same(a_name: &str, a: &Schema, b_name: &str, b: &Schema, context: &str) {
    let diffs = differences(a_name, a, b_name, b);
    assert!(
        diffs.is_empty(),
        "{context}: {a_name} and {b_name} differ:\n  {}",
        diffs.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// Reading the SQL.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword (unquoted ones lower-cased) or a number.
    Word(String),
    /// A string literal or a dollar-quoted body.
    Str,
    Punct(char),
}

impl Tok {
    fn is(&self, word: &str) -> bool {
        matches!(self, Tok::Word(w) if w == word)
    }

    fn text(&self) -> String {
        match self {
            Tok::Word(w) => w.clone(),
            Tok::Str => "'…'".into(),
            Tok::Punct(c) => c.to_string(),
        }
    }
}

fn tokenize(sql: &str) -> Vec<Tok> {
    let chars: Vec<char> = sql.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => break,
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => i += 2,
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            toks.push(Tok::Str);
        } else if c == '"' || c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == c)
                .map_or(chars.len(), |p| i + 1 + p);
            toks.push(Tok::Word(chars[i + 1..end].iter().collect()));
            i = end + 1;
        } else if c == '$' && !chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            // A dollar-quoted body: $tag$ … $tag$.
            let tag_end = chars[i + 1..]
                .iter()
                .position(|&d| d == '$')
                .map_or(chars.len(), |p| i + 1 + p);
            let tag: String = chars[i..=tag_end.min(chars.len() - 1)].iter().collect();
            let rest: String = chars[tag_end + 1..].iter().collect();
            let body_len = rest.find(&tag).unwrap_or(rest.len());
            i = tag_end + 1 + rest[..body_len].chars().count() + tag.chars().count();
            toks.push(Tok::Str);
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push(Tok::Word(
                chars[start..i].iter().collect::<String>().to_lowercase(),
            ));
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    toks
}

/// Splits at semicolons, keeping a trigger's BEGIN … END body in one statement.
fn statements(toks: Vec<Tok>) -> Vec<Vec<Tok>> {
    let mut out = Vec::new();
    let mut current: Vec<Tok> = Vec::new();
    let mut block = 0usize;
    for tok in toks {
        let is_trigger = current.first().is_some_and(|t| t.is("create"))
            && current.iter().take(4).any(|t| t.is("trigger"));
        if is_trigger && (tok.is("begin") || (block > 0 && tok.is("case"))) {
            block += 1;
        } else if block > 0 && tok.is("end") {
            block -= 1;
        }
        if tok == Tok::Punct(';') && block == 0 {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(tok);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Splits the tokens inside the parentheses opening at `open` into comma-separated items;
/// returns them and the index after the closing parenthesis.
fn paren_items(toks: &[Tok], open: usize) -> (Vec<Vec<Tok>>, usize) {
    assert_eq!(
        toks.get(open),
        Some(&Tok::Punct('(')),
        "expected ( in {toks:?}"
    );
    let mut items = vec![Vec::new()];
    let mut depth = 0;
    for (i, tok) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Punct('(') => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            Tok::Punct(')') => {
                depth -= 1;
                if depth == 0 {
                    return (items, i + 1);
                }
            }
            Tok::Punct(',') if depth == 1 => {
                items.push(Vec::new());
                continue;
            }
            _ => {}
        }
        items.last_mut().expect("an item").push(tok.clone());
    }
    panic!("unclosed parenthesis in {toks:?}");
}

fn word(toks: &[Tok], i: usize) -> String {
    match toks.get(i) {
        Some(Tok::Word(w)) => w.clone(),
        other => panic!("expected a name at {i}, found {other:?} in {toks:?}"),
    }
}

/// Skips `IF NOT EXISTS` / `IF EXISTS` at `i`.
fn skip_if_exists(toks: &[Tok], mut i: usize) -> usize {
    if toks.get(i).is_some_and(|t| t.is("if")) {
        i += 1;
        if toks.get(i).is_some_and(|t| t.is("not")) {
            i += 1;
        }
        i += 1; // exists
    }
    i
}

/// Column names of an index or key column list: `name [COLLATE x] [ASC|DESC]`, or an expression.
fn key_columns(items: &[Vec<Tok>]) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            let plain = match item.as_slice() {
                [Tok::Word(_)] => true,
                [Tok::Word(_), order] => order.is("asc") || order.is("desc"),
                [Tok::Word(_), collate, Tok::Word(_), rest @ ..] => {
                    collate.is("collate")
                        && (rest.is_empty()
                            || (rest.len() == 1 && (rest[0].is("asc") || rest[0].is("desc"))))
                }
                _ => false,
            };
            if plain {
                item[0].text()
            } else {
                "<expression>".to_owned()
            }
        })
        .collect()
}

const COLUMN_CONSTRAINTS: &[&str] = &[
    "constraint",
    "primary",
    "not",
    "null",
    "unique",
    "check",
    "default",
    "references",
    "generated",
    "collate",
    "as",
];

/// Adds a column definition (`name type constraints…`) to a table.
fn add_column(table: &mut Table, def: &[Tok], context: &str) {
    let name = word(def, 0);
    let mut i = 1;
    let mut declared = Vec::new();
    while let Some(tok) = def.get(i) {
        match tok {
            Tok::Word(w) if !COLUMN_CONSTRAINTS.contains(&w.as_str()) => declared.push(w.clone()),
            Tok::Punct('(') => {
                // (precision) of a type
                let (_, next) = paren_items(def, i);
                i = next;
                continue;
            }
            _ => break,
        }
        i += 1;
    }
    let (mut not_null, mut has_default, mut primary, mut unique) = (false, false, false, false);
    while let Some(tok) = def.get(i) {
        if tok.is("not") && def.get(i + 1).is_some_and(|t| t.is("null")) {
            not_null = true;
            i += 1;
        } else if tok.is("primary") {
            primary = true;
        } else if tok.is("unique") {
            unique = true;
        } else if tok.is("default") {
            has_default = true;
        } else if tok.is("generated") {
            // GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [( … )] or AS ( expr ) STORED
            let end = def[i..]
                .iter()
                .position(|t| t.is("identity") || t.is("stored") || t.is("virtual"))
                .unwrap_or_else(|| panic!("{context}: cannot read {def:?}"));
            i += end;
        } else if *tok == Tok::Punct('(') {
            let (_, next) = paren_items(def, i);
            i = next;
            continue;
        }
        i += 1;
    }
    if primary {
        table.primary_key = vec![name.clone()];
    }
    if unique {
        table.uniques.insert(vec![name.clone()]);
    }
    table.columns.insert(
        name,
        Column {
            kind: type_kind(&declared.join(" ")),
            not_null: not_null || primary,
            has_default,
        },
    );
}

fn apply_create_table(schema: &mut Schema, st: &[Tok], context: &str) {
    let mut i = 2;
    if st[1].is("temp") || st[1].is("temporary") {
        i += 1;
    }
    i = skip_if_exists(st, i);
    let name = word(st, i);
    let (items, _) = paren_items(st, i + 1);
    let mut table = Table::default();
    for item in &items {
        let mut at = 0;
        if item[0].is("constraint") {
            at = 2;
        }
        let head = &item[at];
        if head.is("primary") {
            let open = at + 2;
            table.primary_key = key_columns(&paren_items(item, open).0);
        } else if head.is("unique") {
            table
                .uniques
                .insert(key_columns(&paren_items(item, at + 1).0));
        } else if head.is("check") || head.is("foreign") || head.is("exclude") {
        } else {
            add_column(&mut table, item, context);
        }
    }
    for col in table.primary_key.clone() {
        if let Some(c) = table.columns.get_mut(&col) {
            c.not_null = true;
        }
    }
    assert!(
        schema.tables.insert(name.clone(), table).is_none(),
        "{context}: table {name} created twice"
    );
}

fn apply_create_index(schema: &mut Schema, st: &[Tok], context: &str) {
    let unique = st[1].is("unique");
    let mut i = if unique { 3 } else { 2 };
    if st[i].is("concurrently") {
        i += 1;
    }
    i = skip_if_exists(st, i);
    let name = word(st, i);
    assert!(st[i + 1].is("on"), "{context}: cannot read {st:?}");
    let mut t = i + 2;
    if st[t].is("only") {
        t += 1;
    }
    let table = word(st, t);
    let mut open = t + 1;
    if st[open].is("using") {
        open += 2;
    }
    let (items, after) = paren_items(st, open);
    let partial = st[after..].iter().any(|t| t.is("where"));
    assert!(
        schema.tables.contains_key(&table),
        "{context}: index {name} on unknown table {table}"
    );
    let index = Index {
        table,
        columns: key_columns(&items),
        unique,
        partial,
    };
    assert!(
        schema.indexes.insert(name.clone(), index).is_none(),
        "{context}: index {name} created twice"
    );
}

fn apply_alter_table(schema: &mut Schema, st: &[Tok], context: &str) {
    let mut i = skip_if_exists(st, 2);
    if st[i].is("only") {
        i += 1;
    }
    let name = word(st, i);
    let action = &st[i + 1..];
    let table = schema
        .tables
        .get_mut(&name)
        .unwrap_or_else(|| panic!("{context}: ALTER TABLE of unknown table {name}"));
    let after_keyword = |at: usize| {
        let at = if action[at].is("column") { at + 1 } else { at };
        skip_if_exists(action, at)
    };
    let table_constraint = |t: &Tok| {
        [
            "constraint",
            "primary",
            "unique",
            "foreign",
            "check",
            "exclude",
        ]
        .iter()
        .any(|k| t.is(k))
    };
    if action[0].is("add") && !table_constraint(&action[1]) {
        let at = after_keyword(1);
        add_column(table, &action[at..], context);
    } else if action[0].is("drop") && !action[1].is("constraint") {
        let col = word(action, after_keyword(1));
        table
            .columns
            .remove(&col)
            .unwrap_or_else(|| panic!("{context}: DROP COLUMN of unknown column {name}.{col}"));
        table.uniques.retain(|u| !u.contains(&col));
    } else if action[0].is("rename") && action[1].is("to") {
        let new = word(action, 2);
        let table = schema.tables.remove(&name).expect("table");
        schema.tables.insert(new.clone(), table);
        for index in schema.indexes.values_mut() {
            if index.table == name {
                index.table = new.clone();
            }
        }
    } else if action[0].is("rename") {
        let at = if action[1].is("column") { 2 } else { 1 };
        let (old, new) = (word(action, at), word(action, at + 2));
        let col = table
            .columns
            .remove(&old)
            .unwrap_or_else(|| panic!("{context}: RENAME of unknown column {name}.{old}"));
        table.columns.insert(new.clone(), col);
        let rename = |cols: &mut Vec<String>| {
            for c in cols.iter_mut().filter(|c| **c == old) {
                *c = new.clone();
            }
        };
        rename(&mut table.primary_key);
        table.uniques = std::mem::take(&mut table.uniques)
            .into_iter()
            .map(|mut u| {
                rename(&mut u);
                u
            })
            .collect();
        for index in schema.indexes.values_mut().filter(|i| i.table == name) {
            rename(&mut index.columns);
        }
    } else {
        panic!(
            "{context}: the parity test does not understand ALTER TABLE {name} {}; teach it",
            action.iter().map(Tok::text).collect::<Vec<_>>().join(" ")
        );
    }
}

fn apply_statement(schema: &mut Schema, st: &[Tok], context: &str) {
    let w = |i: usize| st.get(i).map(Tok::text).unwrap_or_default();
    match (w(0).as_str(), w(1).as_str(), w(2).as_str()) {
        ("create", "table", _) | ("create", "temp" | "temporary", "table") => {
            apply_create_table(schema, st, context)
        }
        ("create", "index", _) | ("create", "unique", "index") => {
            apply_create_index(schema, st, context)
        }
        ("create", "view", _) | ("create", "or", "replace") if st.iter().any(|t| t.is("view")) => {
            let at = st.iter().position(|t| t.is("view")).expect("view");
            schema.views.insert(word(st, skip_if_exists(st, at + 1)));
        }
        ("alter", "table", _) => apply_alter_table(schema, st, context),
        ("drop", "table", _) => {
            let name = word(st, skip_if_exists(st, 2));
            schema.tables.remove(&name);
            schema.indexes.retain(|_, i| i.table != name);
        }
        ("drop", "index", _) => {
            let mut at = 2;
            if st[at].is("concurrently") {
                at += 1;
            }
            schema.indexes.remove(&word(st, skip_if_exists(st, at)));
        }
        ("drop", "view", _) => {
            schema.views.remove(&word(st, skip_if_exists(st, 2)));
        }
        // Dialect-specific or data only.
        ("create", "trigger" | "function" | "or" | "temp" | "temporary" | "procedure", _)
        | ("drop", "trigger" | "function" | "procedure", _)
        | ("insert" | "update" | "delete" | "select" | "with" | "pragma" | "comment", _, _) => {}
        _ => panic!(
            "{context}: the parity test does not understand {} {} {} …; teach it",
            w(0),
            w(1),
            w(2)
        ),
    }
}

fn migrations_dir(backend: &str) -> PathBuf {
    crate::common::repo_root().join("migrations").join(backend)
}

/// The migration files of a tree, in the order sqlx applies them.
fn migration_files(dir: &Path) -> Vec<(i64, String)> {
    let mut files: Vec<(i64, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".sql"))
        .map(|name| {
            let version = name
                .split('_')
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} does not start with a version number"));
            (version, name)
        })
        .collect();
    files.sort();
    files
}

/// The schema after each migration of a tree: (file name, schema).
fn read_tree(backend: &str) -> Vec<(String, Schema)> {
    let dir = migrations_dir(backend);
    let mut schema = Schema::default();
    let mut out = Vec::new();
    for (_, name) in migration_files(&dir) {
        if name.ends_with(".down.sql") {
            continue;
        }
        let sql = std::fs::read_to_string(dir.join(&name)).expect("read migration");
        let context = format!("migrations/{backend}/{name}");
        for st in statements(tokenize(&sql)) {
            apply_statement(&mut schema, &st, &context);
        }
        out.push((name, schema.clone()));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Live catalogues.

/// Tables sqlx keeps for itself.
fn ours(table: &str) -> bool {
    !table.starts_with("_sqlx") && !table.starts_with("sqlite_")
}

async fn sqlite_catalogue() -> Schema {
    let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    // Read at run time rather than embedded, so an edited file is always what is checked.
    sqlx::migrate::Migrator::new(migrations_dir("sqlite"))
        .await
        .expect("read migrations/sqlite")
        .run(&mut conn)
        .await
        .expect("SQLite migrations apply");
    let mut schema = Schema::default();
    let objects: Vec<(String, String)> =
        sqlx::query_as("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')")
            .fetch_all(&mut conn)
            .await
            .expect("sqlite_master");
    for (kind, name) in objects.into_iter().filter(|(_, n)| ours(n)) {
        if kind == "view" {
            schema.views.insert(name.to_lowercase());
            continue;
        }
        let mut table = Table::default();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for row in sqlx::query(
            "SELECT name, type, \"notnull\", dflt_value IS NOT NULL AS has_default, pk FROM pragma_table_info($1)",
        )
        .bind(&name)
        .fetch_all(&mut conn)
        .await
        .expect("table_info")
        {
            let col: String = row.get::<String, _>("name").to_lowercase();
            let pk_pos: i64 = row.get("pk");
            if pk_pos > 0 {
                pk.push((pk_pos, col.clone()));
            }
            table.columns.insert(
                col,
                Column {
                    kind: type_kind(&row.get::<String, _>("type")),
                    not_null: row.get::<bool, _>("notnull") || pk_pos > 0,
                    has_default: row.get("has_default"),
                },
            );
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        let indexes: Vec<(String, bool, String, bool)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(&mut conn)
                .await
                .expect("index_list");
        for (index, unique, origin, partial) in indexes {
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut conn)
                    .await
                    .expect("index_info");
            let columns: Vec<String> = columns
                .into_iter()
                .map(|c| c.map_or_else(|| "<expression>".to_owned(), |c| c.to_lowercase()))
                .collect();
            match origin.as_str() {
                "u" => {
                    table.uniques.insert(columns);
                }
                "pk" => {}
                _ => {
                    schema.indexes.insert(
                        index.to_lowercase(),
                        Index {
                            table: name.to_lowercase(),
                            columns,
                            unique,
                            partial,
                        },
                    );
                }
            }
        }
        schema.tables.insert(name.to_lowercase(), table);
    }
    schema
}

async fn postgres_catalogue(url: &str) -> Schema {
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::migrate::Migrator::new(migrations_dir("postgres"))
        .await
        .expect("read migrations/postgres")
        .run(&mut conn)
        .await
        .expect("PostgreSQL migrations apply");
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, table_type::text FROM information_schema.tables
         WHERE table_schema = current_schema()",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    for (name, kind) in tables.into_iter().filter(|(n, _)| ours(n)) {
        if kind == "VIEW" {
            schema.views.insert(name);
        } else {
            schema.tables.insert(name, Table::default());
        }
    }
    let columns: Vec<(String, String, String, bool, bool)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO',
                column_default IS NOT NULL
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(&mut conn)
    .await
    .expect("columns");
    for (table, column, data_type, not_null, has_default) in columns {
        if let Some(t) = schema.tables.get_mut(&table) {
            t.columns.insert(
                column,
                Column {
                    kind: type_kind(&data_type),
                    not_null,
                    has_default,
                },
            );
        }
    }
    let keys: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, c.contype::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                      ORDER BY k.ord)
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema() AND c.contype IN ('p', 'u')",
    )
    .fetch_all(&mut conn)
    .await
    .expect("keys");
    for (table, kind, columns) in keys {
        if let Some(t) = schema.tables.get_mut(&table) {
            if kind == "p" {
                t.primary_key = columns;
            } else {
                t.uniques.insert(columns);
            }
        }
    }
    let indexes: Vec<(String, String, bool, bool, Vec<String>)> = sqlx::query_as(
        "SELECT i.relname::text, t.relname::text, ix.indisunique, ix.indpred IS NOT NULL,
                ARRAY(SELECT COALESCE(a.attname::text, '<expression>')
                      FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                      ORDER BY k.ord)
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema()
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)",
    )
    .fetch_all(&mut conn)
    .await
    .expect("indexes");
    for (name, table, unique, partial, columns) in indexes {
        if ours(&table) {
            schema.indexes.insert(
                name,
                Index {
                    table,
                    columns,
                    unique,
                    partial,
                },
            );
        }
    }
    schema
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn both_trees_have_the_same_migration_files() {
    let names = |backend: &str| -> Vec<String> {
        migration_files(&migrations_dir(backend))
            .into_iter()
            .map(|(_, n)| n)
            .collect()
    };
    let (sqlite, postgres) = (names("sqlite"), names("postgres"));
    assert!(!sqlite.is_empty(), "no SQLite migrations found");
    for name in &sqlite {
        assert!(
            postgres.contains(name),
            "migrations/sqlite/{name} has no counterpart in migrations/postgres"
        );
    }
    for name in &postgres {
        assert!(
            sqlite.contains(name),
            "migrations/postgres/{name} has no counterpart in migrations/sqlite"
        );
    }
    let versions: Vec<i64> = migration_files(&migrations_dir("sqlite"))
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    let unique: BTreeSet<&i64> = versions.iter().collect();
    assert_eq!(unique.len(), versions.len(), "a version is used twice");
}

#[test]
fn both_trees_define_the_same_schema_after_every_migration() {
    let sqlite = read_tree("sqlite");
    let postgres = read_tree("postgres");
    for ((name, s), (pg_name, p)) in sqlite.iter().zip(&postgres) {
        assert_eq!(name, pg_name, "the trees apply different files");
        assert_same("sqlite", s, "postgres", p, &format!("after {name}"));
    }
    let last = &sqlite.last().expect("migrations").1;
    assert!(
        last.tables.contains_key("users") && last.indexes.contains_key("sessions_expiry"),
        "the reader found the schema: {last:?}"
    );
}

#[tokio::test]
async fn the_sqlite_catalogue_matches_what_the_migrations_say() {
    let read = read_tree("sqlite").pop().expect("migrations").1;
    let live = sqlite_catalogue().await;
    assert_same(
        "migrations/sqlite as read",
        &read,
        "SQLite's catalogue",
        &live,
        "after all migrations",
    );
}

#[tokio::test]
async fn the_postgres_catalogue_matches_sqlite_when_postgres_is_available() {
    let Some(_) = std::env::var("TRUSTSHARE_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("TRUSTSHARE_TEST_POSTGRES not set: live PostgreSQL catalogue not compared");
        return;
    };
    let scratch = crate::common::TempDir::new("migrations");
    let database = crate::common::TestDatabase::create(&scratch.0);
    assert!(database.is_postgres());
    let postgres = postgres_catalogue(&database.url).await;
    let sqlite = sqlite_catalogue().await;
    assert_same(
        "SQLite's catalogue",
        &sqlite,
        "PostgreSQL's catalogue",
        &postgres,
        "after all migrations",
    );
    let read = read_tree("postgres").pop().expect("migrations").1;
    assert_same(
        "migrations/postgres as read",
        &read,
        "PostgreSQL's catalogue",
        &postgres,
        "after all migrations",
    );
}

// ---------------------------------------------------------------------------------------------
// The comparison itself notices drift.

#[test]
fn a_drift_is_named() {
    let sql = |text: &str| {
        let mut schema = Schema::default();
        for st in statements(tokenize(text)) {
            apply_statement(&mut schema, &st, "test");
        }
        schema
    };
    let a = sql(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT);
                 CREATE INDEX t_a ON t (a);
                 ALTER TABLE t ADD COLUMN c BIGINT NOT NULL DEFAULT 0;",
    );
    let b = sql(
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a TEXT, d TEXT);
                 CREATE UNIQUE INDEX t_a ON t (a, d);
                 CREATE TABLE u (id BIGINT PRIMARY KEY);",
    );
    let diffs = differences("sqlite", &a, "postgres", &b);
    for expected in [
        "column t.a: sqlite has text NOT NULL, postgres has text",
        "column t.b exists only in sqlite",
        "column t.c exists only in sqlite",
        "column t.d exists only in postgres",
        "table u exists only in postgres",
        "index t_a: sqlite has ON t (a), postgres has UNIQUE ON t (a, d)",
    ] {
        assert!(
            diffs.iter().any(|d| d == expected),
            "{expected:?} not among {diffs:#?}"
        );
    }
    assert_eq!(diffs.len(), 6, "{diffs:#?}");
    // The id columns agree although spelt differently.
    assert_eq!(a.tables["t"].columns["id"], b.tables["t"].columns["id"]);
}

#[test]
fn trigger_bodies_and_dollar_quotes_do_not_split_statements() {
    let sqlite = statements(tokenize(
        "CREATE TRIGGER x BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'no; never'); SELECT CASE WHEN 1 THEN 2 END; END;
         CREATE INDEX i ON t (a);",
    ));
    assert_eq!(sqlite.len(), 2, "{sqlite:?}");
    let postgres = statements(tokenize(
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'x;'; END; $$;
         CREATE INDEX i ON t (a);",
    ));
    assert_eq!(postgres.len(), 2, "{postgres:?}");
}
