//! `cargo xtask layers`: the top-level modules of each crate form layers, never a cycle.
//!
//! Why: a crate whose modules import each other in a circle has no order to read, test or cut
//! it in; every change can reach everything. rust-analyzer keeps its crates layered (a lower
//! layer never names a higher one) and checks it in CI; this does the same inside each of our
//! crates. For every crate directory with a `src/`, each `src/<m>.rs` or `src/<m>/` (other than
//! `lib.rs`/`main.rs`) is a node, and `m -> n` is an edge when code of `m` names `n`: through
//! `crate::n`, a `use crate::{…, n, …}` group, a `super::` chain that climbs to the crate
//! root and goes down into `n`, or a name the crate root re-exports from `n` (`crate::Settings`
//! when `lib.rs` has `pub use settings::Settings`). Comments, string literals and test-only
//! code (`#[cfg(test)]`/`#[test]` items, and files declared only under `#[cfg(test)]`) are
//! left out: tests may reach anywhere.
//!
//! The check fails on any cycle, printing each with one `file:line` per arrow, so the
//! developer can see which import to cut. A crate may also list its layers in [`LAYERS`];
//! then a lower layer naming a higher one fails ("upward import"), and so does a module that is
//! in no layer, until it is placed.
//!
//! This is a token scan, not name resolution: a path through an alias (`use crate as c;`), a
//! glob re-export at the root or a `#[path]` attribute is not followed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;

/// Each crate's layers, lowest first; a layer is a list of top-level module names. The key is
/// the crate's directory relative to the workspace root (`"."` for the root package's `src/`).
/// A crate that is not listed, or listed with no layers, is only checked for cycles.
///
/// Example: `("lint", &[&["text", "source"], &["syntax"], &["rules"]])`: `syntax` may name
/// `text` and `source`, `rules` may name all three, and `text` names none of the others.
const LAYERS: &[(&str, &[&[&str]])] = &[
    (
        "lint",
        &[
            &["text"],
            &["source", "syntax"],
            &["diagnostic"],
            &["fix", "render", "sourcemap"],
            &["quantity"],
            &["schema", "k8s"],
            &["project"],
            &["rule"],
            &["rules"],
            &["config"],
            &["engine", "docs"],
        ],
    ),
    (
        "cli",
        &[
            &["args", "walk"],
            &["render"],
            &["config", "report"],
            &["sources", "stream"],
            &["check", "fix", "rules_cmd"],
        ],
    ),
];

/// Cycles printed per crate; the rest are counted. The shortest come first.
const CYCLES_SHOWN: usize = 50;
/// Enumeration stops here: a dense graph of a dozen modules can have a great many cycles.
const CYCLES_MAX: usize = 100_000;

pub fn run(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        eprintln!("usage: cargo xtask layers   (no arguments)");
        return ExitCode::from(2);
    }
    let root = crate::workspace_root();
    let dirs = match crate_dirs(&root) {
        Ok(dirs) => dirs,
        Err(e) => {
            eprintln!("xtask layers: {e}");
            return ExitCode::from(1);
        }
    };
    let mut problems = 0;
    let mut failing = Vec::new();
    let mut summary = Vec::new();
    for dir in &dirs {
        let files = match load_sources(&root.join(dir).join("src")) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("xtask layers: {e}");
                return ExitCode::from(1);
            }
        };
        let krate = analyze(dir, &files);
        let found = check(&krate, layers_of(dir));
        summary.push(format!(
            "{dir}: {}, {}",
            count(krate.modules.len(), "module"),
            count(krate.edges.len(), "import")
        ));
        if !found.problems.is_empty() {
            for problem in &found.problems {
                eprintln!("{problem}");
            }
            eprintln!();
            problems += found.count;
            failing.push(dir.as_str());
        }
    }
    if problems > 0 {
        eprintln!(
            "xtask layers: {} in {}",
            count(problems, "problem"),
            failing.join(", ")
        );
        ExitCode::from(1)
    } else {
        println!("xtask layers: no import cycles ({})", summary.join("; "));
        ExitCode::SUCCESS
    }
}

/// `1 module`, `2 modules`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn layers_of(dir: &str) -> Option<&'static [&'static [&'static str]]> {
    LAYERS
        .iter()
        .find(|(d, layers)| *d == dir && !layers.is_empty())
        .map(|(_, layers)| *layers)
}

/// `.` and each workspace member, where it has a `src/`.
fn crate_dirs(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut dirs = vec![".".to_string()];
    dirs.extend(workspace_members(&manifest)?);
    dirs.retain(|d| root.join(d).join("src").is_dir());
    Ok(dirs)
}

/// The `members = [...]` array of `[workspace]`: just enough TOML for our own manifest.
fn workspace_members(manifest: &str) -> Result<Vec<String>, String> {
    let start = manifest
        .lines()
        .scan(0, |offset, line| {
            let here = *offset;
            *offset += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| line.trim_start().starts_with("members"))
        .map(|(offset, _)| offset)
        .ok_or("no `members` in Cargo.toml")?;
    let rest = &manifest[start..];
    let open = rest.find('[').ok_or("`members` is not an array")?;
    let close = rest.find(']').ok_or("`members` array is not closed")?;
    let mut members = Vec::new();
    for line in rest[open + 1..close].lines() {
        let line = line.split('#').next().unwrap_or("");
        for item in line.split(',') {
            let item = item.trim().trim_matches('"');
            if item.is_empty() {
                continue;
            }
            if item.contains('*') {
                return Err(format!("glob member `{item}` is not supported"));
            }
            members.push(item.to_string());
        }
    }
    Ok(members)
}

/// One source file of a crate: its path under `src/` (with `/`), and its text.
struct Source {
    rel: String,
    text: String,
}

/// Every `.rs` file under `src`, except `src/bin/` (those are crates of their own).
fn load_sources(src: &Path) -> Result<Vec<Source>, String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<Source>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let child = format!("{rel}{name}");
            if path.is_dir() {
                if child != "bin" {
                    walk(&path, &format!("{child}/"), out)?;
                }
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                out.push(Source { rel: child, text });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(src, "", &mut out)?;
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Tokens: just enough Rust lexing to see paths and braces, never comments or literals.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Punct(char),
    /// `::`
    PathSep,
    /// A string, char or number literal: its content is never looked at.
    Literal,
    Lifetime,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: u32,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn lex(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // `//`, `///` and `//!` comments.
        if c == '/' && at(i + 1) == '/' {
            while i < n && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        // `/* */` comments, which nest.
        if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < n {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            continue;
        }
        let start_line = line;
        let tok = if is_ident_start(c) {
            let start = i;
            while i < n && is_ident_continue(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
            match (word.as_str(), at(i)) {
                ("r" | "br" | "cr", '"' | '#') if at(i + hashes) == '"' => {
                    i = skip_raw_string(&chars, i, hashes, &mut line);
                    Tok::Literal
                }
                ("b" | "c", '"') => {
                    i = skip_string(&chars, i, &mut line);
                    Tok::Literal
                }
                ("b", '\'') => {
                    i = skip_char(&chars, i);
                    Tok::Literal
                }
                ("r", '#') if is_ident_start(at(i + 1)) => {
                    let start = i + 1;
                    i = start;
                    while i < n && is_ident_continue(chars[i]) {
                        i += 1;
                    }
                    Tok::Ident(format!("r#{}", chars[start..i].iter().collect::<String>()))
                }
                _ => Tok::Ident(word),
            }
        } else if c.is_ascii_digit() {
            while i < n
                && (is_ident_continue(chars[i]) || (chars[i] == '.' && at(i + 1).is_ascii_digit()))
            {
                i += 1;
            }
            Tok::Literal
        } else if c == '"' {
            i = skip_string(&chars, i, &mut line);
            Tok::Literal
        } else if c == '\'' {
            if at(i + 1) == '\\' || (at(i + 1) != '\0' && at(i + 2) == '\'') {
                i = skip_char(&chars, i);
                Tok::Literal
            } else {
                i += 1;
                while i < n && is_ident_continue(chars[i]) {
                    i += 1;
                }
                Tok::Lifetime
            }
        } else if c == ':' && at(i + 1) == ':' {
            i += 2;
            Tok::PathSep
        } else {
            i += 1;
            Tok::Punct(c)
        };
        out.push(Token {
            tok,
            line: start_line,
        });
    }
    out
}

/// From the opening `"`, past the closing one.
fn skip_string(chars: &[char], mut i: usize, line: &mut u32) -> usize {
    i += 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if chars.get(i + 1) == Some(&'\n') {
                    *line += 1;
                }
                i += 2;
                continue;
            }
            '"' => return i + 1,
            '\n' => *line += 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// From the first `#` (or the `"`) of `r#"…"#`, past the closing `"#`.
fn skip_raw_string(chars: &[char], mut i: usize, hashes: usize, line: &mut u32) -> usize {
    i += hashes + 1;
    while i < chars.len() {
        if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        if chars[i] == '\n' {
            *line += 1;
        }
        i += 1;
    }
    i
}

/// From the opening `'` of a char literal, past the closing one.
fn skip_char(chars: &[char], mut i: usize) -> usize {
    i += 1;
    if chars.get(i) == Some(&'\\') {
        i += 2;
    } else {
        i += 1;
    }
    while i < chars.len() && chars[i] != '\'' && chars[i] != '\n' {
        i += 1;
    }
    i + 1
}

fn is_punct(toks: &[Token], i: usize, c: char) -> bool {
    matches!(toks.get(i), Some(Token { tok: Tok::Punct(p), .. }) if *p == c)
}

fn is_sep(toks: &[Token], i: usize) -> bool {
    matches!(
        toks.get(i),
        Some(Token {
            tok: Tok::PathSep,
            ..
        })
    )
}

fn ident(toks: &[Token], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some(Token {
            tok: Tok::Ident(s), ..
        }) => Some(s),
        _ => None,
    }
}

/// The index of the bracket that closes the one at `open` (or the last token, unbalanced).
fn matching(toks: &[Token], open: usize) -> usize {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    toks.len().saturating_sub(1)
}

// ---------------------------------------------------------------------------------------------
// Test-only code: taken out before anything is looked at.

struct Stripped {
    tokens: Vec<Token>,
    /// `x` for each `#[cfg(test)] mod x;`: its file is test-only.
    test_mods: Vec<String>,
    /// The file starts with `#![cfg(test)]`.
    test_only: bool,
}

/// The inside of `#[…]` is `test`, `cfg(test)` or `cfg(all(…, test, …))`.
fn is_test_attr(attr: &[Token]) -> bool {
    let words: Vec<&Tok> = attr.iter().map(|t| &t.tok).collect();
    let id = |s: &str| Tok::Ident(s.to_string());
    match words.as_slice() {
        [t] => **t == id("test"),
        [cfg, Tok::Punct('('), t, Tok::Punct(')')] => **cfg == id("cfg") && **t == id("test"),
        [cfg, Tok::Punct('('), all, Tok::Punct('('), args @ .., Tok::Punct(')'), Tok::Punct(')')]
            if **cfg == id("cfg") && **all == id("all") =>
        {
            let mut depth = 0;
            let mut alone = true;
            for (k, t) in args.iter().enumerate() {
                match t {
                    Tok::Punct('(') => depth += 1,
                    Tok::Punct(')') => depth -= 1,
                    Tok::Punct(',') if depth == 0 => {
                        alone = true;
                        continue;
                    }
                    Tok::Ident(s) if depth == 0 && alone && s == "test" => {
                        let next = args.get(k + 1);
                        if next.is_none() || next == Some(&&Tok::Punct(',')) {
                            return true;
                        }
                    }
                    _ => {}
                }
                alone = false;
            }
            false
        }
        _ => false,
    }
}

fn strip_test_code(toks: &[Token]) -> Stripped {
    let mut out = Vec::with_capacity(toks.len());
    let mut test_mods = Vec::new();
    let mut test_only = false;
    let mut depth = 0i32;
    let mut i = 0;
    while i < toks.len() {
        // `#![cfg(test)]` at the top of a file.
        if is_punct(toks, i, '#') && is_punct(toks, i + 1, '!') && is_punct(toks, i + 2, '[') {
            let end = matching(toks, i + 2);
            if depth == 0 && is_test_attr(toks.get(i + 3..end).unwrap_or(&[])) {
                test_only = true;
            }
            out.extend_from_slice(&toks[i..=end]);
            i = end + 1;
            continue;
        }
        if is_punct(toks, i, '#') && is_punct(toks, i + 1, '[') {
            let mut j = i;
            let mut test = false;
            while is_punct(toks, j, '#') && is_punct(toks, j + 1, '[') {
                let end = matching(toks, j + 1);
                test |= is_test_attr(toks.get(j + 2..end).unwrap_or(&[]));
                j = end + 1;
            }
            if !test {
                out.extend_from_slice(&toks[i..j]);
                i = j;
                continue;
            }
            // The item after the attributes: past its visibility, a `mod x;` names a file.
            let mut k = j;
            if ident(toks, k) == Some("pub") {
                k += 1;
                if is_punct(toks, k, '(') {
                    k = matching(toks, k) + 1;
                }
            }
            if ident(toks, k) == Some("mod") && is_punct(toks, k + 2, ';') {
                if let Some(name) = ident(toks, k + 1) {
                    test_mods.push(name.to_string());
                }
                i = k + 3;
                continue;
            }
            i = item_end(toks, j, ident(toks, k) == Some("use"));
            continue;
        }
        match toks[i].tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => depth -= 1,
            _ => {}
        }
        out.push(toks[i].clone());
        i += 1;
    }
    Stripped {
        tokens: out,
        test_mods,
        test_only,
    }
}

/// Past the item starting at `start`: its `;`, or the `}` that closes its body (a `use` ends
/// only at `;`). Stops before a bracket that closes something opened before the item.
fn item_end(toks: &[Token], start: usize, is_use: bool) -> usize {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate().skip(start) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth < 0 {
                    return i;
                }
                if depth == 0 && t.tok == Tok::Punct('}') && !is_use {
                    return i + 1;
                }
            }
            Tok::Punct(';') if depth == 0 => return i + 1,
            _ => {}
        }
    }
    toks.len()
}

// ---------------------------------------------------------------------------------------------
// References to the crate root's children.

/// Calls `found(name, line)` for each name this file takes from the crate root: `crate::name`,
/// each entry of a `crate::{…}` group, and the same after `super::` climbs to the root.
/// `depth` is how many modules down the file is (`rules/mod.rs` is 1, `rules/x.rs` 2).
fn root_names(toks: &[Token], depth: usize, mut found: impl FnMut(&str, u32)) {
    // For each open `{`: whether it opened an inline `mod x { … }`.
    let mut braces: Vec<bool> = Vec::new();
    let mut inline = 0;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].tok {
            Tok::Punct('{') => {
                let is_mod =
                    i >= 2 && ident(toks, i - 2) == Some("mod") && ident(toks, i - 1).is_some();
                braces.push(is_mod);
                inline += usize::from(is_mod);
            }
            Tok::Punct('}') => inline -= usize::from(braces.pop() == Some(true)),
            Tok::Ident(w) if w == "crate" && is_sep(toks, i + 1) => {
                after_root(toks, i + 2, &mut found);
                i += 2;
                continue;
            }
            Tok::Ident(w) if (w == "super" || w == "self") && !is_sep(toks, i.wrapping_sub(1)) => {
                let mut j = if w == "self" { i + 2 } else { i };
                if w == "self" && !(is_sep(toks, i + 1) && ident(toks, j) == Some("super")) {
                    i += 1;
                    continue;
                }
                let mut ups = 0;
                while ident(toks, j) == Some("super") && is_sep(toks, j + 1) {
                    ups += 1;
                    j += 2;
                }
                if ups > 0 && ups >= depth + inline {
                    after_root(toks, j, &mut found);
                }
                i = j.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// At `i`, just past `crate::` (or enough `super::`): a name, or a `{…}` group of them.
fn after_root(toks: &[Token], i: usize, found: &mut impl FnMut(&str, u32)) {
    if let Some(name) = ident(toks, i) {
        found(name, toks[i].line);
        return;
    }
    if !is_punct(toks, i, '{') {
        return;
    }
    let end = matching(toks, i);
    let mut depth = 0;
    let mut entry_start = true;
    for t in &toks[i..=end] {
        match &t.tok {
            Tok::Punct('{') => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            Tok::Punct('}') => depth -= 1,
            Tok::Punct(',') if depth == 1 => {
                entry_start = true;
                continue;
            }
            Tok::Ident(name) if depth == 1 && entry_start => found(name, t.line),
            _ => {}
        }
        entry_start = false;
    }
}

/// Names a crate root (`lib.rs`, `main.rs`) brings in with `use`, mapped to the top-level
/// module they come from: `pub use settings::Settings;` maps `Settings` to `settings`.
fn root_imports(toks: &[Token], modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut depth = 0;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => depth -= 1,
            Tok::Ident(w) if w == "use" && depth == 0 => {
                let mut leaves = Vec::new();
                let mut j = i + 1;
                use_tree(toks, &mut j, &mut Vec::new(), &mut leaves);
                for (path, name) in leaves {
                    let first = path.iter().find(|s| *s != "crate" && *s != "self");
                    if let Some(module) = first.filter(|m| modules.contains(*m)) {
                        out.insert(name, module.clone());
                    }
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads one use tree at `*i` into `(path, bound name)` leaves. Globs bind nothing we know.
fn use_tree(
    toks: &[Token],
    i: &mut usize,
    prefix: &mut Vec<String>,
    leaves: &mut Vec<(Vec<String>, String)>,
) {
    let base = prefix.len();
    loop {
        if is_sep(toks, *i) {
            *i += 1;
        } else if is_punct(toks, *i, '{') {
            *i += 1;
            while *i < toks.len() && !is_punct(toks, *i, '}') {
                use_tree(toks, i, prefix, leaves);
                if is_punct(toks, *i, ',') {
                    *i += 1;
                } else if !is_punct(toks, *i, '}') {
                    break;
                }
            }
            *i += 1;
            break;
        } else if let Some(word) = ident(toks, *i) {
            *i += 1;
            if is_sep(toks, *i) {
                prefix.push(word.to_string());
                continue;
            }
            let mut name = if word == "self" {
                prefix.last().cloned().unwrap_or_default()
            } else {
                word.to_string()
            };
            if ident(toks, *i) == Some("as") {
                if let Some(alias) = ident(toks, *i + 1) {
                    name = alias.to_string();
                }
                *i += 2;
            }
            let mut path = prefix.clone();
            if word != "self" {
                path.push(word.to_string());
            }
            leaves.push((path, name));
            break;
        } else {
            // `*`, or something that is not a use tree.
            if is_punct(toks, *i, '*') {
                *i += 1;
            }
            break;
        }
    }
    prefix.truncate(base);
}

// ---------------------------------------------------------------------------------------------
// A crate's module graph.

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    file: String,
    line: u32,
}

struct Crate {
    /// The crate's directory, as in [`LAYERS`].
    label: String,
    /// Top-level modules.
    modules: BTreeSet<String>,
    /// `(from, to)` → every place where `from` names `to`, in file and line order.
    edges: BTreeMap<(String, String), Vec<Place>>,
}

/// `rules/x.rs` → `["rules", "x"]`; `rules/mod.rs` → `["rules"]`.
fn module_path(rel: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs");
    }
    if parts.len() > 1 && parts.last() == Some(&"mod") {
        parts.pop();
    }
    parts
}

fn is_root(rel: &str) -> bool {
    rel == "lib.rs" || rel == "main.rs"
}

/// Where the children of the module in `rel` live: `""` for `lib.rs`, `rules/` for
/// `rules/mod.rs` and for `rules.rs`.
fn child_dir(rel: &str) -> String {
    if is_root(rel) {
        return String::new();
    }
    let path = module_path(rel);
    format!("{}/", path.join("/"))
}

fn analyze(label: &str, files: &[Source]) -> Crate {
    let src = if label == "." {
        "src".to_string()
    } else {
        format!("{label}/src")
    };
    let stripped: Vec<Stripped> = files
        .iter()
        .map(|f| strip_test_code(&lex(&f.text)))
        .collect();

    // Files only compiled for tests: `#[cfg(test)] mod x;` and `#![cfg(test)]`.
    let mut test_files = BTreeSet::new();
    let mut test_dirs = Vec::new();
    for (file, s) in files.iter().zip(&stripped) {
        let dir = child_dir(&file.rel);
        for m in &s.test_mods {
            test_files.insert(format!("{dir}{m}.rs"));
            test_dirs.push(format!("{dir}{m}/"));
        }
        if s.test_only && !is_root(&file.rel) {
            test_files.insert(file.rel.clone());
            test_dirs.push(dir);
        }
    }
    let live = |rel: &str| {
        !test_files.contains(rel) && !test_dirs.iter().any(|d| rel.starts_with(d.as_str()))
    };

    let modules: BTreeSet<String> = files
        .iter()
        .filter(|f| !is_root(&f.rel) && live(&f.rel))
        .map(|f| module_path(&f.rel)[0].to_string())
        .collect();
    let mut imports = BTreeMap::new();
    for (file, s) in files.iter().zip(&stripped) {
        if is_root(&file.rel) {
            imports.extend(root_imports(&s.tokens, &modules));
        }
    }

    let mut edges: BTreeMap<(String, String), Vec<Place>> = BTreeMap::new();
    for (file, s) in files.iter().zip(&stripped) {
        if is_root(&file.rel) || !live(&file.rel) {
            continue;
        }
        let path = module_path(&file.rel);
        let from = path[0];
        root_names(&s.tokens, path.len(), |name, line| {
            let to = if modules.contains(name) {
                name
            } else if let Some(m) = imports.get(name) {
                m.as_str()
            } else {
                return;
            };
            if to != from {
                edges
                    .entry((from.to_string(), to.to_string()))
                    .or_default()
                    .push(Place {
                        file: format!("{src}/{}", file.rel),
                        line,
                    });
            }
        });
    }
    for places in edges.values_mut() {
        places.sort();
        places.dedup();
    }
    Crate {
        label: label.to_string(),
        modules,
        edges,
    }
}

// ---------------------------------------------------------------------------------------------
// Cycles and layers.

/// Every elementary cycle (up to `max`), each once, starting at its smallest node; the flag
/// says the enumeration stopped at `max`.
fn find_cycles(adj: &[Vec<usize>], max: usize) -> (Vec<Vec<usize>>, bool) {
    let n = adj.len();
    // reach[a][b]: b can be reached from a (transitive closure; the graphs are small).
    let mut reach = vec![vec![false; n]; n];
    for (a, next) in adj.iter().enumerate() {
        for &b in next {
            reach[a][b] = true;
        }
    }
    for k in 0..n {
        let via = reach[k].clone();
        for row in reach.iter_mut().filter(|row| row[k]) {
            for (cell, &through) in row.iter_mut().zip(&via) {
                *cell |= through;
            }
        }
    }

    struct Walk<'a> {
        adj: &'a [Vec<usize>],
        reach: &'a [Vec<bool>],
        start: usize,
        path: Vec<usize>,
        on_path: Vec<bool>,
        out: Vec<Vec<usize>>,
        max: usize,
    }
    impl Walk<'_> {
        /// False once `max` cycles are found.
        fn from(&mut self, v: usize) -> bool {
            for &w in &self.adj[v] {
                if w == self.start {
                    self.out.push(self.path.clone());
                    if self.out.len() >= self.max {
                        return false;
                    }
                } else if w > self.start && !self.on_path[w] && self.reach[w][self.start] {
                    self.path.push(w);
                    self.on_path[w] = true;
                    let more = self.from(w);
                    self.on_path[w] = false;
                    self.path.pop();
                    if !more {
                        return false;
                    }
                }
            }
            true
        }
    }

    let mut walk = Walk {
        adj,
        reach: &reach,
        start: 0,
        path: Vec::new(),
        on_path: vec![false; n],
        out: Vec::new(),
        max,
    };
    for start in 0..n {
        walk.start = start;
        walk.path = vec![start];
        walk.on_path[start] = true;
        let more = walk.from(start);
        walk.on_path[start] = false;
        if !more {
            return (walk.out, true);
        }
    }
    (walk.out, false)
}

struct Found {
    /// Printable, one problem (possibly several lines) each.
    problems: Vec<String>,
    /// How many problems, counting cycles not printed.
    count: usize,
}

fn check(krate: &Crate, layers: Option<&[&[&str]]>) -> Found {
    let label = &krate.label;
    let mut problems = Vec::new();
    let mut count = 0;
    let arrow = |from: &str, to: &str| {
        let places = &krate.edges[&(from.to_string(), to.to_string())];
        let more = match places.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        format!(
            "    {from} -> {to}: {}:{}{more}",
            places[0].file, places[0].line
        )
    };

    // Cycles.
    let names: Vec<&String> = krate.modules.iter().collect();
    let index = |m: &str| {
        names
            .iter()
            .position(|n| *n == m)
            .expect("edge between modules")
    };
    let mut adj = vec![Vec::new(); names.len()];
    for (from, to) in krate.edges.keys() {
        adj[index(from)].push(index(to));
    }
    let (mut cycles, stopped) = find_cycles(&adj, CYCLES_MAX);
    if !cycles.is_empty() {
        let involved: BTreeSet<&str> = cycles
            .iter()
            .flatten()
            .map(|&i| names[i].as_str())
            .collect();
        problems.push(format!(
            "{label}: {} import cycle{}{} between {} modules: {}",
            cycles.len(),
            if cycles.len() == 1 { "" } else { "s" },
            if stopped { " (at least)" } else { "" },
            involved.len(),
            involved.into_iter().collect::<Vec<_>>().join(", ")
        ));
        cycles.sort_by(|a, b| {
            a.len()
                .cmp(&b.len())
                .then_with(|| a.iter().map(|&i| names[i]).cmp(b.iter().map(|&i| names[i])))
        });
        count += cycles.len();
        for cycle in cycles.iter().take(CYCLES_SHOWN) {
            let mut ring: Vec<&str> = cycle.iter().map(|&i| names[i].as_str()).collect();
            ring.push(ring[0]);
            let mut text = format!("{label}: {}", ring.join(" -> "));
            for pair in ring.windows(2) {
                text.push('\n');
                text.push_str(&arrow(pair[0], pair[1]));
            }
            problems.push(text);
        }
        if cycles.len() > CYCLES_SHOWN {
            problems.push(format!(
                "{label}: … and {} more cycles through the same modules (the {CYCLES_SHOWN} shortest are above)",
                cycles.len() - CYCLES_SHOWN
            ));
        }
    }

    // Layers.
    if let Some(layers) = layers {
        let mut layer_of: BTreeMap<&str, usize> = BTreeMap::new();
        for (level, layer) in layers.iter().enumerate() {
            for &m in *layer {
                if layer_of.insert(m, level).is_some() {
                    problems.push(format!(
                        "{label}: `{m}` is in more than one layer of LAYERS (xtask/src/layers.rs)"
                    ));
                    count += 1;
                }
                if !krate.modules.contains(m) {
                    problems.push(format!(
                        "{label}: LAYERS (xtask/src/layers.rs) lists `{m}`, which is not a top-level module of {label}"
                    ));
                    count += 1;
                }
            }
        }
        for m in &krate.modules {
            if !layer_of.contains_key(m.as_str()) {
                problems.push(format!(
                    "{label}: module `{m}` is in no layer: place it in {label}'s LAYERS (xtask/src/layers.rs), above every module it names"
                ));
                count += 1;
            }
        }
        for (from, to) in krate.edges.keys() {
            let (Some(&low), Some(&high)) =
                (layer_of.get(from.as_str()), layer_of.get(to.as_str()))
            else {
                continue;
            };
            if low < high {
                problems.push(format!(
                    "{label}: upward import {from} -> {to}: layer {low} names layer {high}; a lower layer must not name a higher one\n{}",
                    arrow(from, to)
                ));
                count += 1;
            }
        }
    }
    Found { problems, count }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn krate(label: &str, files: &[(&str, &str)]) -> Crate {
        let files: Vec<Source> = files
            .iter()
            .map(|(rel, text)| Source {
                rel: rel.to_string(),
                text: text.to_string(),
            })
            .collect();
        analyze(label, &files)
    }

    /// `from -> to` for each edge.
    fn edges(krate: &Crate) -> Vec<String> {
        krate
            .edges
            .keys()
            .map(|(a, b)| format!("{a} -> {b}"))
            .collect()
    }

    fn lines(krate: &Crate, from: &str, to: &str) -> Vec<String> {
        krate.edges[&(from.to_string(), to.to_string())]
            .iter()
            .map(|p| format!("{}:{}", p.file, p.line))
            .collect()
    }

    const MODS: &[(&str, &str)] = &[
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d;"),
        ("b.rs", ""),
        ("c.rs", ""),
        ("d/mod.rs", ""),
    ];

    /// The crate of [`MODS`], with `extra` files added or replacing those of the same name.
    fn with(extra: &[(&'static str, &'static str)]) -> Crate {
        let mut files = MODS.to_vec();
        files.retain(|(rel, _)| !extra.iter().any(|(r, _)| r == rel));
        files.extend_from_slice(extra);
        krate("lint", &files)
    }

    #[test]
    fn modules_are_the_files_and_directories_under_src() {
        let k = with(&[("a.rs", ""), ("d/deep/x.rs", "")]);
        assert_eq!(k.modules.iter().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    }

    #[test]
    fn plain_paths_and_use() {
        let k = with(&[(
            "a.rs",
            "use crate::b::Thing;\nfn f() { let x = crate::c::make(); }\nuse std::fmt;",
        )]);
        assert_eq!(edges(&k), ["a -> b", "a -> c"]);
        assert_eq!(lines(&k, "a", "c"), ["lint/src/a.rs:2"]);
    }

    #[test]
    fn use_groups_nested_braces_and_multi_line_use() {
        let k = with(&[(
            "a.rs",
            "use crate::{\n    b::{self, x::{Y, Z}},\n    c as see,\n    self,\n};\nuse crate::{d};",
        )]);
        assert_eq!(edges(&k), ["a -> b", "a -> c", "a -> d"]);
        assert_eq!(lines(&k, "a", "b"), ["lint/src/a.rs:2"]);
        assert_eq!(lines(&k, "a", "c"), ["lint/src/a.rs:3"]);
        // Names deeper in a group are not top-level modules, even when they are called so.
        let k = with(&[("a.rs", "use crate::b::{c, d::{e}};")]);
        assert_eq!(edges(&k), ["a -> b"]);
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let k = with(&[(
            "a.rs",
            r####"
// use crate::b;
/// crate::b::X in a doc comment
//! crate::b
/* crate::b /* nested */ crate::b */
fn f() -> &'static str {
    let _ = "crate::b::x";
    let _ = r#"crate::b "quoted" crate::b"#;
    let _ = b"crate::b";
    let _ = '"'; let _ = '\''; let _: &'static str = "\" crate::b";
    crate::c::x()
}
"####,
        )]);
        assert_eq!(edges(&k), ["a -> c"]);
        assert_eq!(lines(&k, "a", "c"), ["lint/src/a.rs:11"]);
    }

    #[test]
    fn test_modules_and_test_only_files_are_skipped() {
        let k = with(&[
            (
                "a.rs",
                "use crate::c::X;\n#[cfg(test)]\nmod tests {\n    use crate::b::{Y};\n    fn f() { { crate::b::z() } }\n}\n#[test]\nfn t() { crate::d::x(); }\n#[cfg(all(test, unix))] use crate::d::Z;\nfn g() { crate::c::y() }",
            ),
            ("b/mod.rs", "#[cfg(test)]\npub(crate) mod helpers;\nmod real;"),
            ("b/helpers.rs", "use crate::a::X;"),
            ("b/helpers/more.rs", "use crate::a::X;"),
            ("b/real.rs", "use crate::c::X;"),
            ("c.rs", "#[cfg(not(test))] use crate::d::X;"),
        ]);
        assert_eq!(edges(&k), ["a -> c", "b -> c", "c -> d"]);
        assert_eq!(lines(&k, "a", "c"), ["lint/src/a.rs:1", "lint/src/a.rs:10"]);
    }

    #[test]
    fn a_module_declared_only_for_tests_is_no_module() {
        let k = with(&[
            ("lib.rs", "mod a;\n#[cfg(test)]\nmod testing;"),
            ("a.rs", ""),
            ("testing.rs", "use crate::a::X;"),
        ]);
        assert!(!k.modules.contains("testing"));
        assert!(k.edges.is_empty());
    }

    #[test]
    fn super_chains_that_climb_to_the_root() {
        let k = with(&[
            // rules/x.rs is two deep: two `super`s reach the root, one stays in `a`.
            ("a/x.rs", "use super::y::Z;\nuse super::super::b::W;\nfn f() { super::super::c::g() }"),
            ("a/mod.rs", "mod x; mod y;\nuse super::d::Q;\nuse super::{b, c::R};"),
            ("a/y.rs", "mod inner {\n    use super::super::super::d::Z;\n    use super::super::Y;\n}\nfn f() { self::super::super::b::g() }"),
        ]);
        assert_eq!(edges(&k), ["a -> b", "a -> c", "a -> d"]);
        assert_eq!(
            lines(&k, "a", "b"),
            [
                "lint/src/a/mod.rs:3",
                "lint/src/a/x.rs:2",
                "lint/src/a/y.rs:5"
            ]
        );
        assert_eq!(
            lines(&k, "a", "c"),
            ["lint/src/a/mod.rs:3", "lint/src/a/x.rs:3"]
        );
        assert_eq!(
            lines(&k, "a", "d"),
            ["lint/src/a/mod.rs:2", "lint/src/a/y.rs:2"]
        );
        // `pub(super)` and `pub(in super::x)` visibilities are not paths to the root's children.
        let k = with(&[
            ("a/x.rs", "pub(super) fn f() {}"),
            ("a/mod.rs", "pub(super) fn g() {}"),
        ]);
        assert!(k.edges.is_empty());
    }

    #[test]
    fn names_the_root_re_exports_count_for_their_module() {
        let k = with(&[
            ("lib.rs", "mod a; mod b; mod c;\npub use b::{Thing, other::Other as Renamed};\nuse crate::c::Helper;\nfn lint() {}"),
            ("a.rs", "use crate::{Thing, Helper};\nfn f() { crate::Renamed::new(); crate::lint(); }"),
        ]);
        assert_eq!(edges(&k), ["a -> b", "a -> c"]);
        assert_eq!(lines(&k, "a", "b"), ["lint/src/a.rs:1", "lint/src/a.rs:2"]);
    }

    #[test]
    fn lexer_keeps_lifetimes_raw_identifiers_and_lines() {
        let toks = lex("fn f<'a>(x: &'a str) -> char { 'x' }\nr#type::crate\n\"a\nb\" c");
        assert!(toks.iter().any(|t| t.tok == Tok::Lifetime));
        assert!(toks
            .iter()
            .any(|t| t.tok == Tok::Ident("r#type".into()) && t.line == 2));
        let c = toks
            .iter()
            .find(|t| t.tok == Tok::Ident("c".into()))
            .unwrap();
        assert_eq!(c.line, 4);
    }

    #[test]
    fn cycles_are_found_once_each_from_their_smallest_node() {
        // 0 -> 1 -> 2 -> 0, 1 -> 0, 3 -> 3 is impossible (no self edges), 3 -> 0 is no cycle.
        let adj = vec![vec![1], vec![0, 2], vec![0], vec![0]];
        let (cycles, stopped) = find_cycles(&adj, 100);
        assert!(!stopped);
        assert_eq!(cycles, vec![vec![0, 1], vec![0, 1, 2]]);
        assert_eq!(find_cycles(&adj, 1), (vec![vec![0, 1]], true));
        let acyclic = vec![vec![1, 2], vec![2], vec![]];
        assert!(find_cycles(&acyclic, 100).0.is_empty());
    }

    #[test]
    fn a_cycle_is_reported_with_a_place_for_each_arrow() {
        let k = with(&[
            ("a.rs", "use crate::b::X;"),
            ("b.rs", "\n\nuse crate::c::Y;\nuse crate::c::Z;"),
            ("c.rs", "fn f() { crate::a::g() }"),
            ("d/mod.rs", "use crate::a::X;"),
        ]);
        let found = check(&k, None);
        assert_eq!(found.count, 1);
        assert_eq!(
            found.problems,
            [
                "lint: 1 import cycle between 3 modules: a, b, c",
                "lint: a -> b -> c -> a\n    a -> b: lint/src/a.rs:1\n    b -> c: lint/src/b.rs:3 (+1 more)\n    c -> a: lint/src/c.rs:1",
            ]
        );
        let found = check(&with(&[("a.rs", "use crate::b::X;")]), None);
        assert_eq!(found.count, 0);
        assert!(found.problems.is_empty());
    }

    #[test]
    fn a_lower_layer_must_not_name_a_higher_one() {
        let k = with(&[
            ("a.rs", "use crate::b::X;\nuse crate::c::Y;"),
            ("d/mod.rs", "use crate::a::X;"),
        ]);
        // d above a above b and c: every import points down.
        let ok: &[&[&str]] = &[&["b", "c"], &["a"], &["d"]];
        assert_eq!(check(&k, Some(ok)).count, 0);
        // a below c: a names c, upward.
        let bad: &[&[&str]] = &[&["b"], &["a"], &["c", "d"]];
        let found = check(&k, Some(bad));
        assert_eq!(found.count, 1, "{:?}", found.problems);
        assert_eq!(
            found.problems,
            ["lint: upward import a -> c: layer 1 names layer 2; a lower layer must not name a higher one\n    a -> c: lint/src/a.rs:2"]
        );
        // Same layer is fine (cycles are still caught).
        let flat: &[&[&str]] = &[&["a", "b", "c", "d"]];
        assert_eq!(check(&k, Some(flat)).count, 0);
    }

    #[test]
    fn every_module_must_be_placed_and_every_listed_name_exist() {
        let k = with(&[("a.rs", "")]);
        let layers: &[&[&str]] = &[&["b", "c"], &["a", "gone"]];
        let found = check(&k, Some(layers));
        assert_eq!(found.count, 2, "{:?}", found.problems);
        assert!(
            found.problems[0].contains("lists `gone`"),
            "{:?}",
            found.problems
        );
        assert!(
            found.problems[1].contains("module `d` is in no layer"),
            "{:?}",
            found.problems
        );
    }

    #[test]
    fn members_come_from_the_workspace_manifest() {
        let manifest = "[workspace]\nmembers = [\"lint\", \"cli\", # the CLI\n  \"bench/x\",\n]\nresolver = \"2\"\n";
        assert_eq!(
            workspace_members(manifest).unwrap(),
            ["lint", "cli", "bench/x"]
        );
    }

    #[test]
    fn the_layer_table_names_real_crates() {
        for (dir, _) in LAYERS {
            assert!(
                crate::workspace_root().join(dir).join("src").is_dir(),
                "LAYERS names `{dir}`, which has no src/"
            );
        }
    }
}
