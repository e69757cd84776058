//! Configuration on the command line's side: reading `.podlint.yaml` files from disk for the
//! resolver in `podlint_lint::config`, the settings each input gets, and `podlint config`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::args::{ConfigArgs, ConfigCmdArgs, ListFormat, RuleSelection};
use crate::walk::Input;
use crate::{ExitStatus, Io};
use podlint_lint::config::pod_security;
use podlint_lint::config::{self, ConfigReader, Layer, Resolved, ResolverOptions};
use podlint_lint::{rules, Settings};

/// Reads config files from the disk; a directory holding `.git` (a directory, or the file a
/// worktree or submodule has) is a repository root.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsReader;

impl ConfigReader for FsReader {
    fn read(&self, path: &Path) -> std::io::Result<Option<String>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            // A directory named `.podlint.yaml` is not a config file either.
            Err(_) if path.is_dir() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn is_repository_root(&self, dir: &Path) -> bool {
        dir.join(".git").exists()
    }
}

/// The resolver a run uses: discovery on disk, the command line applied last.
pub type Resolver = config::Resolver<FsReader>;

/// Builds the resolver from the command line. Errors are usage errors (an unknown rule).
pub fn resolver(selection: &RuleSelection, args: &ConfigArgs) -> Result<Resolver, String> {
    let mut cli = Layer::default();
    for word in &selection.select {
        if let Some(level) = pod_security::level_word(word.trim()) {
            cli.pod_security = Some(pod_security::options(Some(level), None));
        }
        cli.select.push(pod_security::parse_selector(word.trim())?);
    }
    for word in &selection.ignore {
        cli.ignore.push(pod_security::parse_selector(word.trim())?);
    }
    // `--pod-security` and `--pod-security-version` win over `--select pss-…` and the configs.
    if selection.pod_security.is_some() || selection.pod_security_version.is_some() {
        let mut options =
            pod_security::options(selection.pod_security, selection.pod_security_version);
        // `--select pss-restricted --pod-security-version v1.30`: the word's level stays.
        if let (None, Some(word)) = (selection.pod_security, &cli.pod_security) {
            options = pod_security::merged(word, &options);
        }
        cli.pod_security = Some(options);
        cli.select
            .push(pod_security::parse_selector(pod_security::RULE)?);
    }
    if args.no_inline_suppressions {
        cli.inline_suppressions = Some(false);
    }
    // `--kubernetes-version` wins over every config's `kubernetes-version`.
    cli.kubernetes_minor = selection.kubernetes_version;
    let options = ResolverOptions {
        config: args.config.as_deref().map(absolute),
        isolated: args.isolated,
        cli,
    };
    Ok(Resolver::new(FsReader, options))
}

/// An absolute, lexically normalised path (what the resolver expects).
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() && config::is_normal(path) {
        return path.to_path_buf();
    }
    config::normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The path to resolve a manifest read from stdin with: `--stdin-filename`, else a file in the
/// current directory.
pub fn stdin_path(stdin_filename: Option<&str>) -> PathBuf {
    absolute(Path::new(stdin_filename.unwrap_or("-")))
}

/// What a run lints: each input with its settings. Files the config excludes are left out;
/// a config error is reported once and the files it governs are skipped.
pub struct Plan {
    pub jobs: Vec<(Input, Arc<Settings>)>,
    pub errors: Vec<String>,
}

pub fn plan(resolver: &Resolver, inputs: Vec<Input>, stdin_filename: Option<&str>) -> Plan {
    let mut jobs = Vec::with_capacity(inputs.len());
    let mut errors: Vec<String> = Vec::new();
    for input in inputs {
        let path = match &input {
            Input::File(path) => absolute(path),
            Input::Stdin => stdin_path(stdin_filename),
        };
        match resolver.resolve(&path) {
            // What is piped in is linted whatever its name.
            Ok(resolved) if resolved.excluded && input != Input::Stdin => {}
            Ok(resolved) => jobs.push((input, resolved.settings)),
            Err(error) => {
                // Reported once, however many inputs the config governs.
                for message in display_error(&error) {
                    if !errors.contains(&message) {
                        errors.push(message);
                    }
                }
            }
        }
    }
    Plan { jobs, errors }
}

/// Every mistake of a config file, one `path:line:col: message` each, the path relative to
/// the current directory when inside it.
pub fn display_error(error: &config::ConfigError) -> Vec<String> {
    let shown = config::ConfigError {
        path: relative(&error.path),
        ..error.clone()
    };
    shown.lines().collect()
}

fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}

/// `podlint config [PATH]`: the configuration that applies to a path.
pub fn show(args: &ConfigCmdArgs, io: &mut Io) -> ExitStatus {
    let resolver = match resolver(&args.rules, &args.config) {
        Ok(resolver) => resolver,
        Err(message) => {
            io.error(&message);
            return ExitStatus::Usage;
        }
    };
    let given = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    // A directory stands for the files directly in it.
    let path = if given.is_dir() {
        absolute(&given).join("*.yaml")
    } else {
        absolute(&given)
    };
    let resolved = match resolver.resolve(&path) {
        Ok(resolved) => resolved,
        Err(error) => {
            for message in display_error(&error) {
                io.error(&message);
            }
            return ExitStatus::Usage;
        }
    };
    let out = match args.format {
        ListFormat::Json => {
            serde_json::to_string_pretty(&effective_json(&given, &resolved, &resolver))
                .expect("plain data serialises")
                + "\n"
        }
        ListFormat::Text => effective_text(&given, &resolved, &resolver),
    };
    io.print(&out);
    ExitStatus::Clean
}

fn source(resolved: &Resolved) -> Option<String> {
    let config = resolved.config.as_ref()?;
    Some(relative(&config.path).display().to_string())
}

fn overrides(resolved: &Resolved) -> Vec<Vec<String>> {
    let Some(config) = &resolved.config else {
        return Vec::new();
    };
    resolved
        .overrides
        .iter()
        .map(|&i| config.file.overrides[i].files.patterns.clone())
        .collect()
}

fn effective_text(given: &Path, resolved: &Resolved, resolver: &Resolver) -> String {
    let settings = &resolved.settings;
    let mut out = format!("path: {}\n", given.display());
    let config = match source(resolved) {
        Some(path) => path,
        None if resolver.options().isolated => "none (--isolated)".into(),
        None => format!(
            "none (no {} up to the repository root)",
            config::CONFIG_FILE
        ),
    };
    out.push_str(&format!("config: {config}\n"));
    if resolved.excluded {
        out.push_str("excluded: yes (matches `exclude`)\n");
    }
    for files in overrides(resolved) {
        out.push_str(&format!("override: files {}\n", files.join(", ")));
    }
    out.push_str(&format!(
        "kubernetes-version: 1.{}\n",
        settings.kubernetes_minor
    ));
    let on = if settings.inline_suppressions() {
        "on"
    } else {
        "off"
    };
    out.push_str(&format!("inline suppressions: {on}\n"));
    let enabled: Vec<_> = settings.enabled_rules().collect();
    out.push_str(&format!("rules ({} enabled):\n", enabled.len()));
    let width = enabled.iter().map(|r| r.len()).max().unwrap_or(0);
    for name in enabled {
        let severity = settings.severity(name).map_or("", |s| s.as_str());
        let category = rules::rule(name).map_or("", |r| r.category.as_str());
        out.push_str(&format!("  {name:width$}  {severity:7}  {category}\n"));
    }
    let options = settings.configured_options();
    if !options.is_empty() {
        out.push_str("options:\n");
        for (rule, value) in options {
            let Value::Object(map) = value else { continue };
            for (key, value) in map {
                out.push_str(&format!("  {rule}.{key}: {value}\n"));
            }
        }
    }
    out
}

fn effective_json(given: &Path, resolved: &Resolved, resolver: &Resolver) -> Value {
    let settings = &resolved.settings;
    let rules: Vec<Value> = settings
        .enabled_rules()
        .map(|name| {
            json!({
                "name": name,
                "category": rules::rule(name).map(|r| r.category.as_str()),
                "severity": settings.severity(name).map(|s| s.as_str()),
            })
        })
        .collect();
    let options: serde_json::Map<String, Value> = settings
        .configured_options()
        .into_iter()
        .map(|(rule, value)| (rule.to_string(), value))
        .collect();
    json!({
        "path": given.display().to_string(),
        "config": source(resolved),
        "isolated": resolver.options().isolated,
        "excluded": resolved.excluded,
        "overrides": overrides(resolved).into_iter().map(|files| json!({"files": files})).collect::<Vec<_>>(),
        "kubernetesVersion": format!("1.{}", settings.kubernetes_minor),
        "inlineSuppressions": settings.inline_suppressions(),
        "rules": rules,
        "options": options,
    })
}
