//! Field errors as the API server reports them (`k8s.io/apimachinery/pkg/util/validation/field`)
//! and the name checks behind them (`k8s.io/apimachinery/pkg/util/validation`).

/// `field.ErrorType`, named as its `String()` names it in JSON (`FieldValueRequired`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// `field.Required`: "Required value".
    Required,
    /// `field.Invalid`: "Invalid value".
    Invalid,
    /// `field.NotSupported`: "Unsupported value".
    NotSupported,
    /// `field.Duplicate`: "Duplicate value".
    Duplicate,
    /// `field.Forbidden`: "Forbidden".
    Forbidden,
    /// `field.TooLong`: "Too long".
    TooLong,
}

impl ErrorType {
    /// The Go constant's string value, used in `svcscope validate -o json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
        }
    }

    /// What `field.Error.Error()` prints after the path.
    fn phrase(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
        }
    }
}

/// One validation error: type, field path, the offending value (already formatted as Go's `%#v`
/// would print it: `"abc"`, `80`, `[]string{"1.1.1.1"}`), and the detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The error type.
    pub error_type: ErrorType,
    /// The field path (`spec.ports[0].port`).
    pub field: String,
    /// The value, formatted; `None` for Required and Forbidden, which print none.
    pub value: Option<String>,
    /// The detail message.
    pub detail: String,
}

impl FieldError {
    /// `field.Required(path, detail)`.
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            error_type: ErrorType::Required,
            field: field.into(),
            value: None,
            detail: detail.into(),
        }
    }

    /// `field.Invalid(path, value, detail)` with the value already formatted.
    pub fn invalid(field: impl Into<String>, value: String, detail: impl Into<String>) -> Self {
        FieldError {
            error_type: ErrorType::Invalid,
            field: field.into(),
            value: Some(value),
            detail: detail.into(),
        }
    }

    /// `field.NotSupported(path, value, supported)`.
    pub fn not_supported(field: impl Into<String>, value: &str, supported: &[&str]) -> Self {
        let list: Vec<String> = supported.iter().map(|value| quoted(value)).collect();
        FieldError {
            error_type: ErrorType::NotSupported,
            field: field.into(),
            value: Some(quoted(value)),
            detail: format!("supported values: {}", list.join(", ")),
        }
    }

    /// `field.Duplicate(path, value)`.
    pub fn duplicate(field: impl Into<String>, value: String) -> Self {
        FieldError {
            error_type: ErrorType::Duplicate,
            field: field.into(),
            value: Some(value),
            detail: String::new(),
        }
    }

    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            error_type: ErrorType::Forbidden,
            field: field.into(),
            value: None,
            detail: detail.into(),
        }
    }

    /// `field.TooLong(path, value, max)`.
    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        FieldError {
            error_type: ErrorType::TooLong,
            field: field.into(),
            value: None,
            detail: format!("may not be more than {max} bytes"),
        }
    }

    /// The text `field.Error.Error()` gives: `spec.ports[0].port: Invalid value: 0: must be
    /// between 1 and 65535, inclusive`, `spec.ports: Required value`, ...
    pub fn to_kubectl_string(&self) -> String {
        let mut text = format!("{}: {}", self.field, self.error_type.phrase());
        if let Some(value) = &self.value {
            text.push_str(": ");
            text.push_str(value);
        }
        if !self.detail.is_empty() {
            text.push_str(": ");
            text.push_str(&self.detail);
        }
        text
    }
}

/// Go's `%q` (and `%#v`) of a string: a double-quoted, escaped literal.
pub fn quoted(value: &str) -> String {
    GoQuoted(value).to_string()
}

/// Displays a string as Go's `strconv.Quote` writes it: `"` and `\` escaped, `\a \b \f \n \r
/// \t \v` by name, other ASCII controls as `\xNN`; non-ASCII characters are kept unless they are
/// controls or white space (Go's `unicode.IsPrint` refuses those too), which are written
/// `\uNNNN`. (Formatting this by hand instead of with Rust's `{:?}`, which differs for controls,
/// also keeps Rust's escape tables out of the browser build.)
pub struct GoQuoted<'a>(pub &'a str);

impl std::fmt::Display for GoQuoted<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        out.write_char('"')?;
        for character in self.0.chars() {
            match character {
                '"' => out.write_str("\\\"")?,
                '\\' => out.write_str("\\\\")?,
                '\u{7}' => out.write_str("\\a")?,
                '\u{8}' => out.write_str("\\b")?,
                '\u{c}' => out.write_str("\\f")?,
                '\n' => out.write_str("\\n")?,
                '\r' => out.write_str("\\r")?,
                '\t' => out.write_str("\\t")?,
                '\u{b}' => out.write_str("\\v")?,
                ' ' => out.write_char(' ')?,
                _ if character.is_ascii_control() => write!(out, "\\x{:02x}", character as u32)?,
                _ if character.is_control() || character.is_whitespace() => {
                    let code = character as u32;
                    if code > 0xffff {
                        write!(out, "\\U{code:08x}")?;
                    } else {
                        write!(out, "\\u{code:04x}")?;
                    }
                }
                _ => out.write_char(character)?,
            }
        }
        out.write_char('"')
    }
}

const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;

fn is_lower_alnum(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit()
}

fn matches_dns1123_label(value: &str) -> bool {
    let bytes = value.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            is_lower_alnum(first)
                && is_lower_alnum(last)
                && bytes
                    .iter()
                    .all(|&byte| is_lower_alnum(byte) || byte == b'-')
        }
        _ => false,
    }
}

/// `validation.IsDNS1035Label`: the rule for Service names.
pub fn dns1035_label_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errors.push(format!(
            "must be no more than {DNS1123_LABEL_MAX} characters"
        ));
    }
    let starts_with_letter = value.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !(starts_with_letter && matches_dns1123_label(value)) {
        errors.push(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start \
             with an alphabetic character, and end with an alphanumeric character (e.g. \
             'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
                .to_owned(),
        );
    }
    errors
}

/// `validation.IsDNS1123Label`: port names, namespace names.
pub fn dns1123_label_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errors.push(format!(
            "must be no more than {DNS1123_LABEL_MAX} characters"
        ));
    }
    if !matches_dns1123_label(value) {
        errors.push(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \
             '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or \
             '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                .to_owned(),
        );
    }
    errors
}

/// `validation.IsDNS1123Subdomain`: most object names, `externalName`.
pub fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errors.push(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX} characters"
        ));
    }
    if value.is_empty() || !value.split('.').all(matches_dns1123_label) {
        errors.push(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \
             '-' or '.', and must start and end with an alphanumeric character (e.g. \
             'example.com', regex used for validation is \
             '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                .to_owned(),
        );
    }
    errors
}

/// `validation.IsValidPortNum`.
pub fn port_number_errors(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_owned()]
    }
}

/// `validation.IsValidPortName` (IANA service names, as `targetPort` names must be).
pub fn port_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 characters".to_owned());
    }
    if !name
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
    {
        errors.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned(),
        );
    }
    if !name.bytes().any(|byte| byte.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_owned());
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens".to_owned());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_owned());
    }
    errors
}

/// What `kubectl apply` prints when the API server rejects an object:
/// `The Service "web" is invalid: spec.ports: Required value`, with the errors in brackets and
/// separated by ", " when there are several.
pub fn kubectl_invalid_message(kind: &str, name: &str, errors: &[FieldError]) -> String {
    let texts: Vec<String> = errors.iter().map(FieldError::to_kubectl_string).collect();
    match texts.as_slice() {
        [single] => format!("The {kind} {} is invalid: {single}", GoQuoted(name)),
        _ => format!(
            "The {kind} {} is invalid: [{}]",
            GoQuoted(name),
            texts.join(", ")
        ),
    }
}

/// `netutils.ParseIPSloppy` (k8s.io/utils/net, Go 1.16's `net.ParseIP`): as `net.ParseIP`, but
/// an IPv4 octet may carry leading zeros (`010.0.0.1` is 10.0.0.1). IPv4-mapped IPv6 addresses
/// (`::ffff:10.0.0.1`) are IPv4, as Go's `To4` sees them.
pub fn parse_ip_sloppy(text: &str) -> Option<std::net::IpAddr> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    if text.contains(':') {
        let ip: Ipv6Addr = text.parse().ok()?;
        return Some(match ip.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(ip),
        });
    }
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

/// `validation.IsValidIP` (apimachinery `pkg/util/validation/ip.go`).
pub fn ip_errors(value: &str) -> Vec<String> {
    match parse_ip_sloppy(value) {
        Some(_) => Vec::new(),
        None => vec!["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".to_owned()],
    }
}

/// `validation.IsValidCIDR` (apimachinery `pkg/util/validation/ip.go`): what
/// `netutils.ParseCIDRSloppy` accepts, an address and a decimal prefix length that fits it.
pub fn cidr_errors(value: &str) -> Vec<String> {
    let valid = value.split_once('/').is_some_and(|(address, length)| {
        let bits = if address.contains(':') { 128 } else { 32 };
        parse_ip_sloppy(address).is_some()
            && !length.is_empty()
            && length.bytes().all(|byte| byte.is_ascii_digit())
            && length.parse::<u32>().is_ok_and(|length| length <= bits)
    });
    if valid {
        Vec::new()
    } else {
        vec!["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)".to_owned()]
    }
}

/// `ValidateNonSpecialIP` (kubernetes `pkg/apis/core/validation/validation.go`): external IPs
/// and endpoint addresses may not be unspecified, loopback, link-local or link-local multicast
/// (Go's `net.IP` predicates of those names).
pub fn non_special_ip_errors(value: &str) -> Vec<String> {
    use std::net::IpAddr;
    let Some(ip) = parse_ip_sloppy(value) else {
        return vec!["must be a valid IP address".to_owned()];
    };
    let (unspecified, loopback, link_local, link_local_multicast) = match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            (
                v4.is_unspecified(),
                a == 127,
                a == 169 && b == 254,
                a == 224 && b == 0 && c == 0,
            )
        }
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            let first = segments.first().copied().unwrap_or(0);
            (
                v6.is_unspecified(),
                v6.is_loopback(),
                first & 0xffc0 == 0xfe80,
                first & 0xff0f == 0xff02,
            )
        }
    };
    let mut errors = Vec::new();
    if unspecified {
        errors.push(format!("may not be unspecified ({value})"));
    }
    if loopback {
        errors.push("may not be in the loopback range (127.0.0.0/8, ::1/128)".to_owned());
    }
    if link_local {
        errors.push("may not be in the link-local range (169.254.0.0/16, fe80::/10)".to_owned());
    }
    if link_local_multicast {
        errors.push(
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)".to_owned(),
        );
    }
    errors
}

/// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`, or `[]string(nil)` for none.
pub fn go_string_slice(type_name: &str, values: &[String]) -> String {
    if values.is_empty() {
        return format!("{type_name}(nil)");
    }
    let items: Vec<String> = values.iter().map(|value| quoted(value)).collect();
    format!("{type_name}{{{}}}", items.join(", "))
}

/// One `Invalid` error at `path` for each of `messages` about `value` (quoted as Go's `%q`), as
/// upstream's `for _, msg := range IsX(value) { allErrs = append(allErrs, field.Invalid(...)) }`.
pub fn invalid_each(
    errors: &mut Vec<FieldError>,
    path: impl Into<String>,
    value: &str,
    messages: Vec<String>,
) {
    if !messages.is_empty() {
        invalid_each_at(errors, path.into(), value, messages);
    }
}

// Out of line: one copy in the browser build instead of one per rule.
#[inline(never)]
fn invalid_each_at(errors: &mut Vec<FieldError>, path: String, value: &str, messages: Vec<String>) {
    for message in messages {
        errors.push(FieldError::invalid(path.clone(), quoted(value), message));
    }
}
