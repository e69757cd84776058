//! The API server's name formats (k8s.io/apimachinery validation), each returning what is
//! wrong in words a person can act on.

/// A DNS-1123 label: container, volume and port-less names. At most 63 characters of
/// lowercase letters, digits and `-`, starting and ending with a letter or digit.
pub fn dns1123_label(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "it is {} characters long; the limit is 63",
            name.len()
        ));
    }
    label_chars(name)
}

/// A DNS-1123 subdomain: object names. At most 253 characters; dot-separated labels.
pub fn dns1123_subdomain(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 253 {
        return Err(format!(
            "it is {} characters long; the limit is 253",
            name.len()
        ));
    }
    for part in name.split('.') {
        if part.is_empty() {
            return Err("it has an empty part between dots".into());
        }
        label_chars(part)?;
    }
    Ok(())
}

fn label_chars(name: &str) -> Result<(), String> {
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Err(if c.is_ascii_uppercase() {
            "it has uppercase letters; only lowercase letters, digits and `-` are allowed".into()
        } else {
            format!("`{c}` is not allowed; only lowercase letters, digits and `-` are")
        });
    }
    if name.contains('.') {
        return Err("`.` is not allowed; only lowercase letters, digits and `-` are".into());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("it must start and end with a letter or digit".into());
    }
    Ok(())
}

/// A qualified name: label and annotation keys. An optional DNS-subdomain prefix and `/`,
/// then a name of at most 63 characters of letters, digits, `-`, `_`, `.`, starting and
/// ending with a letter or digit.
pub fn qualified_name(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        dns1123_subdomain(prefix)
            .map_err(|why| format!("its prefix `{prefix}` is not a DNS subdomain: {why}"))?;
    }
    if name.is_empty() {
        return Err("the name part is empty".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "the name part is {} characters long; the limit is 63",
            name.len()
        ));
    }
    label_value_chars(name)
}

/// A label value: empty, or at most 63 characters like a qualified name's name part.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if value.len() > 63 {
        return Err(format!(
            "it is {} characters long; the limit is 63",
            value.len()
        ));
    }
    label_value_chars(value)
}

fn label_value_chars(value: &str) -> Result<(), String> {
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`{c}` is not allowed; use letters, digits, `-`, `_` or `.`"
        ));
    }
    let first = value.chars().next().unwrap_or('a');
    let last = value.chars().last().unwrap_or('a');
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return Err("it must start and end with a letter or digit".into());
    }
    Ok(())
}

/// An IANA service name: container port names. At most 15 characters of lowercase letters,
/// digits and `-`, with at least one letter, no `--`, not starting or ending with `-`.
pub fn port_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 15 {
        return Err(format!(
            "it is {} characters long; the limit is 15",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(if c.is_ascii_uppercase() {
            "it has uppercase letters; only lowercase letters, digits and `-` are allowed".into()
        } else {
            format!("`{c}` is not allowed; only lowercase letters, digits and `-` are")
        });
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(
            "it needs at least one letter (a bare number would read as a port number)".into(),
        );
    }
    if name.contains("--") {
        return Err("it must not contain `--`".into());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("it must start and end with a letter or digit".into());
    }
    Ok(())
}

/// An IP address as the API server reads one (`10.0.0.12`, `fd00::1`): IPv4 octets without
/// leading zeros, no zone (`%eth0`), no prefix length, no surrounding spaces.
pub fn ip_address(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    if text.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    Err(if text.contains('/') {
        "it is a network range (CIDR), not one address".into()
    } else if text.trim() != text {
        "it has spaces around it".into()
    } else if text.split('.').count() == 4
        && text
            .split('.')
            .all(|part| part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty())
        && text
            .split('.')
            .any(|part| part.len() > 1 && part.starts_with('0'))
    {
        "a part has a leading zero, which some tools read as octal; write `012` as `12`".into()
    } else if !text.contains(':') && text.bytes().any(|b| b.is_ascii_alphabetic()) {
        "it is a host name".into()
    } else {
        "it is not a valid IPv4 or IPv6 address".into()
    })
}

/// The closest valid DNS-1123 label to `name`: lowercased, invalid characters turned into
/// `-`, trimmed. `None` when nothing valid is left.
pub fn to_dns1123_label(name: &str) -> Option<String> {
    let mut out: String = name
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => c,
            _ => '-',
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches('-');
    let out = &out[..out.len().min(63)];
    let out = out.trim_end_matches('-');
    (!out.is_empty()).then(|| out.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_api_server() {
        assert!(dns1123_label("web-1").is_ok());
        assert!(dns1123_label("Web").unwrap_err().contains("uppercase"));
        assert!(dns1123_label("web_1").is_err());
        assert!(dns1123_label("-web").is_err());
        assert!(dns1123_label(&"a".repeat(64)).is_err());
        assert!(dns1123_subdomain("my-app.v1").is_ok());
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("app/").is_err());
        assert!(label_value("v1.2_3").is_ok());
        assert!(label_value("-v1").is_err());
        assert!(port_name("http").is_ok());
        assert!(port_name("8080").is_err());
        assert!(port_name("http-metrics-port").is_err());
        assert_eq!(to_dns1123_label("My_App").as_deref(), Some("my-app"));
        assert!(ip_address("10.0.0.12").is_ok());
        assert!(ip_address("fd00::1").is_ok());
        assert!(ip_address("010.0.0.1").is_err());
        assert!(ip_address("10.0.0.0/8").unwrap_err().contains("CIDR"));
        assert!(ip_address("db.internal").unwrap_err().contains("host name"));
    }
}
