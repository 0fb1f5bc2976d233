//! Resource quantities (k8s.io/apimachinery/pkg/api/resource), read into integers.

/// The value of a resource quantity in billionths (`500m` = 500,000,000, `1` =
/// 1,000,000,000, `128Mi` = 134,217,728 x 10^9), `None` when it does not parse or is out of
/// range (k8s.io/apimachinery/pkg/api/resource: decimal and binary SI suffixes, exponents).
/// Integers only: no float code in the browser build.
pub fn quantity_nanos(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.len() > 9 || whole.len() > 19 {
        return None;
    }
    let digits = |part: &str| -> Option<i128> {
        if part.is_empty() {
            Some(0)
        } else if part.bytes().all(|byte| byte.is_ascii_digit()) {
            // u64, not i128: its parser is already in the wasm.
            part.parse::<u64>().ok().map(i128::from)
        } else {
            None
        }
    };
    // The number in billionths, then scaled by the suffix.
    let fraction_scale = 10i128.pow(9 - fraction.len() as u32);
    let base = digits(whole)?
        .checked_mul(1_000_000_000)?
        .checked_add(digits(fraction)?.checked_mul(fraction_scale)?)?;
    let binary = |power: u32| 1024i128.checked_pow(power);
    let value = match suffix {
        "" => Some(base),
        "n" => Some(base / 1_000_000_000),
        "u" => Some(base / 1_000_000),
        "m" => Some(base / 1_000),
        "k" => base.checked_mul(1_000),
        "M" => base.checked_mul(1_000_000),
        "G" => base.checked_mul(1_000_000_000),
        "T" => base.checked_mul(10i128.pow(12)),
        "P" => base.checked_mul(10i128.pow(15)),
        "E" => base.checked_mul(10i128.pow(18)),
        "Ki" => base.checked_mul(binary(1)?),
        "Mi" => base.checked_mul(binary(2)?),
        "Gi" => base.checked_mul(binary(3)?),
        "Ti" => base.checked_mul(binary(4)?),
        "Pi" => base.checked_mul(binary(5)?),
        "Ei" => base.checked_mul(binary(6)?),
        exponent => {
            let digits = exponent.strip_prefix(['e', 'E'])?;
            let (down, digits) = match digits.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, digits.strip_prefix('+').unwrap_or(digits)),
            };
            let power: u32 = digits.parse().ok().filter(|power| *power <= 18)?;
            let scale = 10i128.pow(power);
            if down {
                Some(base / scale)
            } else {
                base.checked_mul(scale)
            }
        }
    }?;
    Some(if negative { -value } else { value })
}
