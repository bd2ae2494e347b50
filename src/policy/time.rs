//! RFC 3339 timestamps as seconds since the Unix epoch.
//!
//! A sampling rule may hold for a time range (Relay's `timeRange`, written as
//! RFC 3339 text), and the core has no clock: the caller passes `now` in
//! seconds. The policy's timestamps are turned into the same unit once, when
//! the policy is read. A date library would be a large dependency for one
//! fixed format, so the conversion is the civil-calendar arithmetic below.

/// `2026-11-22T06:00:00Z`, `2026-11-22T06:00:00.250+01:00` → seconds since 1970.
pub(crate) fn parse_rfc3339(text: &str) -> Result<f64, String> {
    let invalid =
        || format!("expected an RFC 3339 timestamp like 2026-11-22T06:00:00Z, got {text:?}");
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return Err(invalid());
    }
    let digits = |range: std::ops::Range<usize>| -> Result<i64, String> {
        let part = text.get(range).ok_or_else(invalid)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().map_err(|_| invalid())
        } else {
            Err(invalid())
        }
    };
    let separators_hold =
        bytes[4] == b'-' && bytes[7] == b'-' && bytes[13] == b':' && bytes[16] == b':';
    if !separators_hold {
        return Err(invalid());
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(invalid());
    }
    let mut rest = &text[19..];
    let mut fraction = 0.0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let length = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return Err(invalid());
        }
        fraction = format!("0.{}", &after_dot[..length])
            .parse()
            .map_err(|_| invalid())?;
        rest = &after_dot[length..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(invalid()),
            };
            let offset = rest.as_bytes();
            if offset.len() != 6 || offset[3] != b':' {
                return Err(invalid());
            }
            let hours = digits_of(&rest[1..3]).ok_or_else(invalid)?;
            let minutes = digits_of(&rest[4..6]).ok_or_else(invalid)?;
            if hours > 23 || minutes > 59 {
                return Err(invalid());
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Ok(seconds as f64 + fraction)
}

fn digits_of(text: &str) -> Option<i64> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_rfc3339;

    #[test]
    fn known_instants() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0.0));
        assert_eq!(parse_rfc3339("2000-03-01T00:00:00Z"), Ok(951_868_800.0));
        assert_eq!(parse_rfc3339("2026-11-22T06:00:00Z"), Ok(1_795_327_200.0));
        assert_eq!(
            parse_rfc3339("2026-11-22T07:00:00.5+01:00"),
            Ok(1_795_327_200.5)
        );
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Ok(-1.0));
    }

    #[test]
    fn malformed_text_is_refused() {
        for text in [
            "2026-11-22",
            "2026-11-22T06:00:00",
            "2026-02-30T00:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T06:00:00+0100",
            "2026-11-22T06:00:00.Z",
            "２026-11-22T06:00:00Z",
        ] {
            assert!(parse_rfc3339(text).is_err(), "{text}");
        }
    }
}
