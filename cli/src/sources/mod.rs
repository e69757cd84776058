//! How a run's inputs are linted when some of them are sources of other manifests: a
//! kustomization is built (or, without a renderer, its patches are linted as partial
//! objects), a Helm chart is rendered (or noted once), and a `helm template` stream on stdin
//! is mapped back to its templates. Ordinary files pass through untouched.

pub mod helm;
pub mod kustomize;
pub mod tools;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use podlint_lint::config::{partial, RenderConfig, RenderMode};
use podlint_lint::sourcemap::{helm as helm_stream, Rendered};
use podlint_lint::{syntax, Category, Diagnostic, Settings, Severity};

use rayon::prelude::*;

use crate::config::{absolute, Resolver};
use crate::walk::Input;
pub use tools::RenderOptions;
use tools::Tool;

/// A rendered input and the settings it is linted with.
pub struct Build {
    /// What was rendered, as shown (`overlays/dev`).
    pub label: String,
    pub rendered: Rendered,
    pub settings: Arc<Settings>,
    /// Each source's own settings (severities and suppressions).
    pub source_settings: Vec<Arc<Settings>>,
}

impl Build {
    /// A build of `rendered`, with each of its sources' own settings (a source file may sit
    /// under another `.podlint.yaml` than the build's).
    fn new(
        label: String,
        rendered: Rendered,
        settings: Arc<Settings>,
        cwd: &Path,
        settings_of: &impl Fn(&Path, &Arc<Settings>) -> Arc<Settings>,
    ) -> Self {
        let source_settings = rendered
            .sources
            .iter()
            .map(|s| settings_of(&cwd.join(&s.name), &settings))
            .collect();
        Self {
            label,
            rendered,
            settings,
            source_settings,
        }
    }
}

/// A finding the planning itself makes (a chart that cannot be rendered).
pub struct Note {
    pub name: String,
    pub text: String,
    pub diagnostic: Diagnostic,
}

/// What a run lints, once sources are sorted out.
#[derive(Default)]
pub struct Prepared {
    /// Files linted as they are written, each with its settings (a patch's are partial).
    pub jobs: Vec<(Input, Arc<Settings>)>,
    /// The objects generators make, as manifests linted with the files for the cross-object
    /// rules; what is found in them is not shown.
    pub generated: Vec<(String, Arc<Settings>)>,
    pub builds: Vec<Build>,
    pub notes: Vec<Note>,
    /// Builds that failed; with `render: always` they make the run fail.
    pub errors: Vec<String>,
    pub fatal: bool,
    /// The stdin text, when it was a `helm template` stream and became a build.
    pub stdin_consumed: bool,
    /// The jobs that are kustomize patches (linted with `engine::check_patch`).
    pub patches: BTreeSet<PathBuf>,
}

/// Sorts the planned jobs into files, builds and notes.
pub fn prepare(
    jobs: Vec<(Input, Arc<Settings>)>,
    options: &RenderOptions,
    resolver: &Resolver,
    stdin: Option<(&[u8], &str)>,
) -> Prepared {
    let mut prepared = Prepared::default();
    let cwd = std::env::current_dir().unwrap_or_default();
    let show = |path: &Path| -> String {
        path.strip_prefix(&cwd)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.display().to_string())
    };
    let config_of = |path: &Path| -> Option<RenderConfig> {
        let resolved = resolver.resolve(&absolute(path)).ok()?;
        resolved.config.as_ref().map(|c| c.file.render.clone())
    };
    let settings_of = |path: &Path, fallback: &Arc<Settings>| -> Arc<Settings> {
        resolver
            .resolve(&absolute(path))
            .map(|r| r.settings)
            .unwrap_or_else(|_| fallback.clone())
    };

    // Sort the inputs: kustomization files, chart files, the rest.
    let mut chart_cache = HashMap::new();
    let mut charts: BTreeMap<PathBuf, Arc<Settings>> = BTreeMap::new();
    let mut kustomization_files = Vec::new();
    let mut rest: Vec<(Input, PathBuf, Arc<Settings>)> = Vec::new();
    let mut default_settings = None;
    for (input, settings) in jobs {
        default_settings.get_or_insert_with(|| settings.clone());
        match &input {
            Input::Stdin => {
                if let Some((bytes, name)) = stdin {
                    if let Ok(text) = std::str::from_utf8(bytes) {
                        if helm_stream::is_stream(text) {
                            let rendered =
                                helm::rendered(text.to_string(), None, &cwd, name, &show);
                            prepared.builds.push(Build::new(
                                name.to_string(),
                                rendered,
                                settings,
                                &cwd,
                                &settings_of,
                            ));
                            prepared.stdin_consumed = true;
                            continue;
                        }
                    }
                }
                rest.push((input, PathBuf::new(), settings));
            }
            Input::File(path) => {
                let full = absolute(path);
                if let Some(chart) = helm::chart_of(&full, &mut chart_cache) {
                    charts.entry(chart).or_insert(settings);
                    continue;
                }
                if kustomize::is_kustomization(&full) {
                    kustomization_files.push(full.clone());
                }
                rest.push((input, full, settings));
            }
        }
    }

    // Charts: render each, or leave one note.
    for (chart, settings) in charts {
        let (mode, command) = tools::choose(
            Tool::Helm,
            options,
            config_of(&chart.join("Chart.yaml")).as_ref(),
        );
        let chart_file = chart.join("Chart.yaml");
        match (mode, command) {
            (RenderMode::Always | RenderMode::Auto, Some(command)) => {
                match tools::run(&command, &[&chart]) {
                    Ok(text) => {
                        let fallback = format!("{} (helm template)", show(&chart));
                        let rendered = helm::rendered(text, Some(&chart), &cwd, &fallback, &show);
                        prepared.builds.push(Build::new(
                            show(&chart),
                            rendered,
                            settings,
                            &cwd,
                            &settings_of,
                        ));
                    }
                    Err(error) => {
                        prepared.fatal |= mode == RenderMode::Always;
                        prepared.errors.push(format!("{}: {error}", show(&chart)));
                        prepared.notes.extend(chart_note(
                            &chart_file,
                            &settings,
                            &show,
                            "`helm template` failed",
                        ));
                    }
                }
            }
            (RenderMode::Always, None) => {
                prepared.fatal = true;
                prepared.errors.push(format!(
                    "{}: `render: always` needs helm to render this chart, and no `helm` is on PATH; install helm, set `helm-command` in .podlint.yaml or `--helm-command`, or use `--render auto`",
                    show(&chart)
                ));
            }
            (RenderMode::Auto, None) => {
                prepared.notes.extend(chart_note(
                    &chart_file,
                    &settings,
                    &show,
                    "no `helm` program was found",
                ));
            }
            (RenderMode::Never, _) => {
                prepared.notes.extend(chart_note(
                    &chart_file,
                    &settings,
                    &show,
                    "`render: never` is set",
                ));
            }
        }
    }

    // Kustomizations: build the leaves; what is not built is linted as written. A file given
    // alone (pre-commit, an editor) is looked up in the kustomizations near it, so a patch is
    // known as one even when its kustomization is not part of the run.
    let mut known = kustomization_files.clone();
    let mut looked = BTreeSet::new();
    for (input, full, _) in &rest {
        if !matches!(input, Input::File(_)) {
            continue;
        }
        for dir in full.ancestors().skip(1).take(3) {
            if looked.insert(dir.to_path_buf()) {
                known.extend(kustomize::file_in(dir));
            }
        }
    }
    let graph = kustomize::Graph::load(&known);
    let referenced = graph.referenced();
    // A `Kustomization` file (no extension) is not walked; next to a walked file it counts.
    let walked_dirs: BTreeSet<&Path> = rest
        .iter()
        .filter_map(|(_, full, _)| full.parent())
        .collect();
    let in_run: BTreeSet<PathBuf> = kustomization_files
        .iter()
        .chain(known.iter().filter(|f| {
            f.file_name().is_some_and(|n| n == "Kustomization")
                && f.parent().is_some_and(|d| walked_dirs.contains(d))
        }))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    let mut covered: BTreeSet<PathBuf> = BTreeSet::new();
    let mut unbuilt: Vec<PathBuf> = Vec::new();
    let fallback_settings = default_settings.unwrap_or_default();
    let mut to_build = Vec::new();
    for dir in &in_run {
        let Some((file, k)) = graph.kustomizations.get(dir) else {
            continue;
        };
        if referenced.contains(dir) || k.is_component {
            continue;
        }
        let (mode, command) = tools::choose(Tool::Kustomize, options, config_of(file).as_ref());
        match (mode, command) {
            (RenderMode::Never, _) | (RenderMode::Auto, None) => unbuilt.push(dir.clone()),
            (RenderMode::Always, None) => {
                prepared.fatal = true;
                prepared.errors.push(format!(
                    "{}: `render: always` needs kubectl or kustomize to build this kustomization, and neither is on PATH; install one, set `kustomize-command` in .podlint.yaml or `--kustomize-command`, or use `--render auto`",
                    show(dir)
                ));
                unbuilt.push(dir.clone());
            }
            (_, Some(command)) => to_build.push((dir.clone(), file.clone(), mode, command)),
        }
    }
    // Each build is a process of its own: run them side by side.
    let built: Vec<_> = to_build
        .par_iter()
        .map(|(dir, _, _, command)| kustomize::build(&graph, dir, command, &show))
        .collect();
    for ((dir, file, mode, _), result) in to_build.into_iter().zip(built) {
        match result {
            Ok(rendered) => {
                let settings = settings_of(&file, &fallback_settings);
                let closure = graph.closure(&dir);
                covered.extend(closure.resources.keys().cloned());
                covered.extend(closure.patches.iter().cloned());
                covered.extend(closure.kustomizations.iter().cloned());
                prepared.builds.push(Build::new(
                    show(&dir),
                    rendered,
                    settings,
                    &cwd,
                    &settings_of,
                ));
            }
            Err(error) => {
                prepared.fatal |= mode == RenderMode::Always;
                prepared.errors.push(format!(
                    "{}: {error}; its files are linted as written",
                    show(&dir)
                ));
                unbuilt.push(dir);
            }
        }
    }

    // Without a build: patches are partial objects, resources get what the kustomizations
    // add, and generators feed the cross-object rules.
    let mut patches = BTreeSet::new();
    let mut resources: BTreeMap<PathBuf, (bool, bool)> = BTreeMap::new();
    let outside_run = graph
        .kustomizations
        .keys()
        .filter(|dir| !in_run.contains(*dir))
        .cloned();
    let unbuilt: Vec<PathBuf> = unbuilt.into_iter().chain(outside_run).collect();
    for dir in &unbuilt {
        let closure = graph.closure(dir);
        patches.extend(closure.patches);
        for (path, (selectors, namespace)) in closure.resources {
            let flags = resources.entry(path).or_default();
            flags.0 |= selectors;
            flags.1 |= namespace;
        }
        for file in &closure.kustomizations {
            let Some((_, k)) = file.parent().and_then(|d| graph.kustomizations.get(d)) else {
                continue;
            };
            if let Some(text) = generated_objects(file, k) {
                prepared
                    .generated
                    .push((text, settings_of(file, &fallback_settings)));
            }
        }
    }
    // Sized once: a run keeps its jobs to the end.
    prepared.jobs.reserve_exact(rest.len());
    for (input, full, settings) in rest {
        if covered.contains(&full) {
            continue;
        }
        let settings = if patches.contains(&full) {
            if let Input::File(path) = &input {
                prepared.patches.insert(path.to_path_buf());
            }
            Arc::new(partial::for_patch(&settings))
        } else if let Some(&(selectors, namespace)) = resources.get(&full) {
            if selectors || namespace {
                Arc::new(partial::for_resource(&settings, selectors, namespace))
            } else {
                settings
            }
        } else {
            settings
        };
        prepared.jobs.push((input, settings));
    }
    prepared
}

/// The files of `jobs` as `podlint fix` sees them: nothing is rendered, patches get partial
/// settings, and a chart's files are left out.
pub fn as_written(
    jobs: Vec<(Input, Arc<Settings>)>,
    resolver: &Resolver,
) -> Vec<(Input, Arc<Settings>)> {
    let options = RenderOptions {
        mode: Some(RenderMode::Never),
        ..RenderOptions::default()
    };
    prepare(jobs, &options, resolver, None).jobs
}

/// The one note for a chart that is not rendered.
fn chart_note(
    chart_file: &Path,
    settings: &Settings,
    show: &dyn Fn(&Path) -> String,
    why: &str,
) -> Option<Note> {
    if !settings.is_enabled("helm-template") {
        return None;
    }
    let text = std::fs::read_to_string(chart_file).ok()?;
    let parsed = syntax::parse(&text);
    let name_entry = parsed
        .documents
        .first()
        .and_then(|d| d.root())
        .and_then(|r| r.entry("name"));
    let range = name_entry.map_or_else(
        || podlint_lint::text::range(0, text.find('\n').unwrap_or(text.len())),
        |(k, v)| k.range().cover(v.range()),
    );
    let chart_dir = chart_file.parent().unwrap_or(Path::new("."));
    let name = name_entry
        .and_then(|(_, v)| v.as_str())
        .unwrap_or("chart")
        .to_string();
    drop(parsed);
    // A note, unless the team configured the rule's severity (then that).
    let default = podlint_lint::rules::rule("helm-template").map(|r| r.severity);
    let severity = match settings.severity("helm-template") {
        Some(configured) if Some(configured) != default => configured,
        _ => Severity::Info,
    };
    let diagnostic = Diagnostic::new(
        "helm-template",
        Category::Correctness,
        severity,
        range,
        format!(
            "chart `{name}` was not linted: {why}, and its templates are not manifests until Helm renders them"
        ),
    )
    .with_help(format!(
        "install helm (podlint then runs `helm template` and reports at the template lines), or pipe the chart: `helm template {} | podlint check -`",
        show(chart_dir)
    ));
    Some(Note {
        name: show(chart_file),
        text,
        diagnostic,
    })
}

/// The ConfigMaps and Secrets a kustomization's generators make, as manifest text, so the
/// cross-object rules know them without a build (names without kustomize's hash suffix,
/// which references are rewritten to; no namespace, as the unbuilt resources have none).
fn generated_objects(
    file: &Path,
    k: &podlint_lint::sourcemap::kustomization::Kustomization,
) -> Option<String> {
    if k.generators.is_empty() {
        return None;
    }
    let dir = file.parent()?;
    let mut out = String::new();
    for generator in &k.generators {
        let mut keys = generator.keys.clone();
        for env in &generator.env_files {
            if let Ok(text) = std::fs::read_to_string(dir.join(env)) {
                keys.extend(
                    text.lines()
                        .filter(|l| !l.trim_start().starts_with('#'))
                        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string())),
                );
            }
        }
        let field = if generator.kind == "Secret" {
            "stringData"
        } else {
            "data"
        };
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: {}\nmetadata:\n  name: {}\n",
            generator.kind,
            json(&generator.name)
        ));
        if !keys.is_empty() {
            out.push_str(&format!("{field}:\n"));
            for key in keys {
                out.push_str(&format!("  {}: \"\"\n", json(&key)));
            }
        }
    }
    Some(out)
}

/// A YAML scalar that reads back as `text` whatever it holds.
fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}
