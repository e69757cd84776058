//! The renderers podlint runs: which command, whether it is installed, and running it.

use std::path::{Path, PathBuf};
use std::process::Command;

use podlint_lint::config::{RenderConfig, RenderMode};

/// What the command line says about rendering; it wins over `.podlint.yaml`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub mode: Option<RenderMode>,
    pub kustomize_command: Option<Vec<String>>,
    pub helm_command: Option<Vec<String>>,
}

/// The kind of source a renderer builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Kustomize,
    Helm,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Kustomize => "kustomize",
            Tool::Helm => "helm",
        }
    }
}

/// The mode and command for one kustomization or chart: the command line, then its config,
/// then what is on PATH (`kubectl kustomize`, else `kustomize build`; `helm`).
pub fn choose(
    tool: Tool,
    options: &RenderOptions,
    config: Option<&RenderConfig>,
) -> (RenderMode, Option<Vec<String>>) {
    let mode = options
        .mode
        .or(config.and_then(|c| c.mode))
        .unwrap_or_default();
    let configured = match tool {
        Tool::Kustomize => options
            .kustomize_command
            .clone()
            .or_else(|| config.and_then(|c| c.kustomize_command.clone())),
        Tool::Helm => options
            .helm_command
            .clone()
            .or_else(|| config.and_then(|c| c.helm_command.clone())),
    };
    let command = match configured {
        Some(words) => find(&words[0]).map(|program| {
            let mut command = vec![program.display().to_string()];
            command.extend(words[1..].iter().cloned());
            command
        }),
        None => match tool {
            Tool::Kustomize => find("kubectl")
                .map(|p| vec![p.display().to_string(), "kustomize".into()])
                .or_else(|| {
                    find("kustomize").map(|p| vec![p.display().to_string(), "build".into()])
                }),
            Tool::Helm => find("helm").map(|p| vec![p.display().to_string(), "template".into()]),
        },
    };
    // A configured Helm command is the program alone: `template` is podlint's to add.
    let command = match (tool, command) {
        (Tool::Helm, Some(mut c))
            if c.len() == 1 || c.last().map(String::as_str) != Some("template") =>
        {
            c.push("template".into());
            Some(c)
        }
        (_, command) => command,
    };
    (mode, command)
}

/// `program` as a path when it names one, else the first executable of that name on PATH.
pub fn find(program: &str) -> Option<PathBuf> {
    if program.contains(std::path::MAIN_SEPARATOR) {
        let path = PathBuf::from(program);
        return is_executable(&path).then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Runs `command` with `args` appended; its standard output, or what went wrong.
pub fn run(command: &[String], args: &[&Path]) -> Result<String, String> {
    let shown = format!(
        "{} {}",
        command.join(" "),
        args.iter()
            .map(|a| a.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let output = Command::new(&command[0])
        .args(&command[1..])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("`{shown}` could not start: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(format!("`{shown}` failed ({}): {first}", output.status));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("`{shown}` wrote output that is not UTF-8"))
}
