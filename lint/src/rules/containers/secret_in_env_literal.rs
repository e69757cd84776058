use crate::k8s::Pod;
use crate::rule::{Context, PodRule};

/// Name words that mark a secret on their own.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
    "passphrase",
];
/// Word pairs that mark a secret together (`API_KEY`, `AWS_SECRET_ACCESS_KEY`).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("auth", "key"),
    ("encryption", "key"),
    ("signing", "key"),
];
/// A last word that says the variable holds something about a secret, not the secret.
const NOT_THE_SECRET: &[&str] = &[
    "file", "path", "dir", "name", "url", "ttl", "expiry", "expires", "timeout", "length",
    "header", "type", "ref", "location", "endpoint", "enabled", "id", "user", "username", "policy",
    "min", "max", "mode", "version",
];

declare_rule! {
    /// ## What it does
    /// Reports an `env` entry that writes a secret literally in the manifest: a non-empty
    /// `value` in a variable whose name says it is a secret (`DB_PASSWORD`, `API_KEY`,
    /// `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, …), or a URL value with a password in it
    /// (`postgres://app:s3cret@db/app`), or a PEM private key (`-----BEGIN … PRIVATE
    /// KEY-----`) whatever the variable is called. Names such as `PASSWORD_FILE` or `TOKEN_TTL` pass:
    /// they describe a secret without holding it.
    ///
    /// ## Why it matters in a Pod
    /// Like `docker run -e DB_PASSWORD=…` in a script, the value ends up in git, in CI logs
    /// and in the Pod object, where anyone allowed to `kubectl get pod -o yaml` reads it.
    /// Secrets are a separate object with their own access control.
    ///
    /// On by default.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    /// - name: DB_PASSWORD
    ///   value: "hunter2"
    /// ```
    ///
    /// ## How to fix
    /// Put the value in a Secret (`kubectl create secret generic db --from-literal=password=…`)
    /// and reference it:
    /// ```yaml
    /// env:
    /// - name: DB_PASSWORD
    ///   valueFrom:
    ///     secretKeyRef: {name: db, key: password}
    /// ```
    pub struct SecretInEnvLiteral {
        name: "secret-in-env-literal",
        category: Security,
        hook: Pod,
        fix: Never,
        summary: "A secret is written literally in an environment variable",
    }
}

impl PodRule for SecretInEnvLiteral {
    fn check(&self, pod: &Pod<'_, '_>, cx: &mut Context<'_>) {
        for container in pod.containers() {
            for var in container.list("env") {
                let (Some(name), Some(value)) = (var.get("name"), var.get("value")) else {
                    continue;
                };
                let (Some(name), Some(text)) = (name.as_str(), value.as_str()) else {
                    continue;
                };
                if is_placeholder(text) {
                    continue;
                }
                let why = if is_private_key(text) {
                    "holds a PEM private key"
                } else if url_has_password(text) {
                    "holds a URL with a password in it"
                } else if names_a_secret(name) {
                    "looks like a secret"
                } else {
                    continue;
                };
                cx.report(
                    value.range(),
                    format!("`{name}` of {} {why}, written literally in the manifest: it ends up in git and in the Pod object, readable by anyone who can read either", container.describe()),
                )
                .help(format!("store it in a Secret and reference it: `valueFrom: {{secretKeyRef: {{name: …, key: …}}}}` under `{name}`"));
            }
        }
    }
}

/// Values that hold no secret: empty, a `$(VAR)` reference, a boolean.
fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    text.is_empty()
        || (text.starts_with("$(") && text.ends_with(')'))
        || matches!(text, "true" | "false")
}

fn names_a_secret(name: &str) -> bool {
    // Words are ASCII letters and digits, compared without case: no copy of the name, no list.
    let is = |list: &[&str], word: &str| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    let mut last: Option<&str> = None;
    let mut secret = false;
    words(name, |word| {
        secret = secret
            || is(SECRET_WORDS, word)
            || last.is_some_and(|before| {
                SECRET_PAIRS.iter().any(|(first, second)| {
                    first.eq_ignore_ascii_case(before) && second.eq_ignore_ascii_case(word)
                })
            });
        last = Some(word);
    });
    last.is_some_and(|last| !is(NOT_THE_SECRET, last)) && secret
}

/// `DB_PASSWORD`, `dbPassword` and `db-password` are all `db`, `password`: each word of
/// `name`, in order. Only ASCII letters and digits make words.
fn words<'n>(name: &'n str, mut each: impl FnMut(&'n str)) {
    let mut start = 0;
    let mut prev_lower = false;
    let mut word = |range: std::ops::Range<usize>| {
        if !range.is_empty() {
            each(&name[range]);
        }
    };
    for (i, c) in name.char_indices() {
        if !c.is_ascii_alphanumeric() {
            prev_lower = false;
            word(start..i);
            start = i + c.len_utf8();
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            word(start..i);
            start = i;
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    word(start..name.len());
}

/// A PEM block of a private key: `-----BEGIN RSA PRIVATE KEY-----`, `… EC PRIVATE KEY…`,
/// `… OPENSSH PRIVATE KEY…`, `… ENCRYPTED PRIVATE KEY…`, `… PGP PRIVATE KEY BLOCK…`.
fn is_private_key(text: &str) -> bool {
    // Checked for every literal value: a `-----` run first, found with memchr.
    if !crate::text::contains(text, "-----BEGIN ") {
        return false;
    }
    text.match_indices("-----BEGIN ").any(|(at, _)| {
        let label = &text[at + "-----BEGIN ".len()..];
        label
            .split("-----")
            .next()
            .is_some_and(|l| l.contains("PRIVATE KEY") && !l.contains('\n'))
    })
}

/// `scheme://user:password@host…` with a literal password.
fn url_has_password(text: &str) -> bool {
    // The first `://`, found from the `:`s (memchr) rather than by a substring search,
    // whose setup costs more than most values are long.
    let Some(at) = text
        .match_indices(':')
        .map(|(at, _)| at)
        .find(|&at| text[at..].starts_with("://"))
    else {
        return false;
    };
    let rest = &text[at + 3..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    userinfo
        .split_once(':')
        .is_some_and(|(_, password)| !password.is_empty() && !password.starts_with("$("))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test::{pod, RuleTest};

    #[test]
    fn pem_private_keys_are_secrets_whatever_their_name() {
        assert!(is_private_key(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"
        ));
        assert!(is_private_key(
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n"
        ));
        assert!(is_private_key("-----BEGIN PRIVATE KEY-----\nMIIE"));
        assert!(!is_private_key(
            "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----"
        ));
        assert!(!is_private_key("-----BEGIN PUBLIC KEY-----\nMIIB"));
        let literal = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: SIGNING\n      value: |\n        -----BEGIN EC PRIVATE KEY-----\n        MHcCAQEE\n        -----END EC PRIVATE KEY-----\n");
        let certificate = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: CA\n      value: |\n        -----BEGIN CERTIFICATE-----\n        MIIC\n        -----END CERTIFICATE-----\n");
        let found = crate::rules::test::findings("secret-in-env-literal", &literal);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("holds a PEM private key"), "{found:?}");
        assert!(crate::rules::test::findings("secret-in-env-literal", &certificate).is_empty());
    }

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "apiKey",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "client-secret",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "TOKEN_TTL",
            "AWS_ACCESS_KEY_ID",
            "SECRET_NAME",
            "PORT",
            "KEYCLOAK_HOST",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
        assert!(url_has_password("postgres://app:s3cret@db:5432/app"));
        assert!(!url_has_password("postgres://app@db/app"));
        assert!(!url_has_password("https://example.com/a@b"));
    }

    #[test]
    fn literal_secrets_are_flagged() {
        let refs = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n    - name: DB_PASSWORD_FILE\n      value: /run/secrets/db\n    - name: TOKEN\n      value: $(GITHUB_TOKEN)\n");
        let literal = pod("  containers:\n  - name: app\n    image: a\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n    - name: DATABASE_URL\n      value: postgres://app:s3cret@db/app\n");
        RuleTest::new(&super::SecretInEnvLiteral::META)
            .pass(&refs)
            .fail(&literal, &["hunter2", "postgres://app:s3cret@db/app"])
            .run();
    }
}
