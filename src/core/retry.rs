//! The retry policy: which outcomes of an attempt are retried, how long to wait before the next
//! attempt (exponential backoff with jitter, never sooner than a `Retry-After`), and when to stop.

use crate::core::error::Error;

/// The most a call ever waits between two attempts because a server's `Retry-After` asked it
/// to. A longer ask fails the call instead: waiting longer would hold the caller's request
/// handler hostage, and retrying sooner would ignore the server.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Attempts and their time limits, resolved from a call's options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt: attempts = 1 + `max_retries`.
    pub max_retries: u32,
    /// The time limit of one attempt, in milliseconds.
    pub timeout_ms: u32,
    /// The time limit of the whole call (attempts and waits), in milliseconds; `None`: only
    /// the attempts' limits bound it.
    pub deadline_ms: Option<u32>,
}

impl RetryPolicy {
    /// The reference's retry count.
    pub const DEFAULT_MAX_RETRIES: u32 = 3;
    /// The reference's per-attempt timeout.
    pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;
    /// The delay before the first retry; it doubles with each retry.
    pub const BASE_DELAY_MS: u64 = 1_000;
    /// The longest backoff delay.
    pub const MAX_DELAY_MS: u64 = 5_000;
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: Self::DEFAULT_MAX_RETRIES,
            timeout_ms: Self::DEFAULT_TIMEOUT_MS,
            deadline_ms: None,
        }
    }
}

/// What one attempt came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The server answered.
    Answer(Answer),
    /// The request failed without an answer.
    Network(String),
    /// The runtime refused to send it (Deno without `--allow-net`): no retry mends that.
    Permission(String),
    /// The attempt ran out of time.
    Timeout,
    /// The caller's signal aborted it.
    Aborted,
}

/// An HTTP answer, as much of it as the core needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The body text.
    pub body: String,
}

impl Answer {
    /// A 2xx status.
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What to do after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// A success answer.
    Done(Answer),
    /// Wait this long, then try again.
    RetryAfter { delay_ms: u64, error: Error },
    /// Give up with this error.
    Fail(Error),
}

/// The time limit of the next attempt, started `elapsed_ms` into the call: the per-attempt
/// limit, cut to what is left of the deadline. `Err(Error::Deadline)` when nothing is left.
pub fn attempt_timeout_ms(policy: &RetryPolicy, elapsed_ms: f64) -> Result<u32, Error> {
    let Some(deadline) = policy.deadline_ms else {
        return Ok(policy.timeout_ms);
    };
    let left = f64::from(deadline) - elapsed_ms.max(0.0);
    if left < 1.0 {
        return Err(Error::Deadline { ms: deadline });
    }
    Ok(policy.timeout_ms.min(left.ceil() as u32))
}

/// Whether a wait of `delay_ms`, begun `elapsed_ms` into the call, leaves time for another
/// attempt before the deadline. A wait that would not is not begun: the call fails at once.
pub fn wait_fits(policy: &RetryPolicy, elapsed_ms: f64, delay_ms: u64) -> bool {
    policy
        .deadline_ms
        .is_none_or(|deadline| elapsed_ms.max(0.0) + (delay_ms as f64) + 1.0 <= f64::from(deadline))
}

/// Decides what follows attempt number `attempt` (0 for the first).
/// `jitter` is a random number in `[0, 1)`; `now_ms` the clock, for HTTP-date `Retry-After`s.
pub fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: Outcome,
    jitter: f64,
    now_ms: f64,
) -> Decision {
    let (error, retry_after_ms) = match outcome {
        Outcome::Answer(answer) if answer.succeeded() => return Decision::Done(answer),
        Outcome::Answer(answer) => {
            let retry_after = answer
                .retry_after
                .as_deref()
                .and_then(|h| retry_after_ms(h, now_ms));
            let error = Error::Http {
                status: answer.status,
                body: answer.body,
                // Named by the call, which knows where its key came from.
                key: String::new(),
            };
            if !is_retryable_status(answer.status) {
                return Decision::Fail(error);
            }
            (error, retry_after)
        }
        Outcome::Network(reason) => (Error::Network(reason), None),
        Outcome::Timeout => (
            Error::Timeout {
                ms: policy.timeout_ms,
            },
            None,
        ),
        Outcome::Aborted => return Decision::Fail(Error::Aborted),
        Outcome::Permission(reason) => {
            let flag = "--allow-net";
            return Decision::Fail(Error::Permission { flag, reason });
        }
    };
    if attempt >= policy.max_retries {
        return Decision::Fail(error);
    }
    match retry_after_ms {
        Some(ms) if ms > MAX_RETRY_AFTER_MS => Decision::Fail(Error::RetryAfterTooLong { ms }),
        _ => Decision::RetryAfter {
            delay_ms: backoff_ms(attempt, jitter).max(retry_after_ms.unwrap_or(0)),
            error,
        },
    }
}

/// 408, 429 and 5xx may succeed later; other statuses will not.
pub fn is_retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

/// The delay before retry `k` (0-based): `min(1 s × 2^k, 5 s)` plus up to 10 % of it as jitter.
pub fn backoff_ms(k: u32, jitter: f64) -> u64 {
    let base = RetryPolicy::BASE_DELAY_MS
        .saturating_mul(1u64 << k.min(16))
        .min(RetryPolicy::MAX_DELAY_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    base + (base as f64 * 0.1 * jitter) as u64
}

/// Parses a `Retry-After` header: delta seconds, or an HTTP date (RFC 9110, IMF-fixdate) that
/// is turned into milliseconds from `now_ms` (0 when in the past). `None` when unreadable.
pub fn retry_after_ms(header: &str, now_ms: f64) -> Option<u64> {
    // ASCII whitespace (HTTP's optional whitespace is spaces and tabs): no Unicode tables.
    let header = header.trim_ascii();
    if let Ok(seconds) = header.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    let at_ms = http_date_ms(header)?;
    Some((at_ms - now_ms).max(0.0) as u64)
}

/// Parses an IMF-fixdate like `Sun, 06 Nov 1994 08:49:37 GMT` into Unix milliseconds.
fn http_date_ms(text: &str) -> Option<f64> {
    let mut parts = text.split_ascii_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day = number(parts.next()?)?;
    let month = parts.next()?;
    let year = number(parts.next()?).filter(|y| (1..=9999).contains(y))?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    // hh:mm:ss, cut at its bytes (no searcher code); a third `:` leaves the seconds unreadable.
    let colon = |text: &str| text.bytes().position(|b| b == b':');
    let (hours, rest) = time.split_at_checked(colon(time)?)?;
    let rest = rest.get(1..)?;
    let (minutes, seconds) = rest.split_at_checked(colon(rest)?)?;
    let (h, m, s) = (number(hours)?, number(minutes)?, number(seconds.get(1..)?)?);
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || h < 0 || m < 0 || s < 0 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3_600 + m * 60 + s) * 1000) as f64)
}

/// A date's number: digits only (a `-` makes it unreadable; the range checks refused every
/// negative number but `-0` before, which no server sends).
fn number(text: &str) -> Option<i64> {
    i64::try_from(text.parse::<u64>().ok()?).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, retry_after: Option<&str>) -> Outcome {
        Outcome::Answer(Answer {
            status,
            retry_after: retry_after.map(String::from),
            body: "b".into(),
        })
    }

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 3,
        timeout_ms: 5000,
        deadline_ms: None,
    };

    #[test]
    fn success_statuses_are_done() {
        for status in [200, 201] {
            let done = Answer {
                status,
                retry_after: None,
                body: "b".into(),
            };
            assert_eq!(
                decide(&POLICY, 3, answer(status, None), 0.0, 0.0),
                Decision::Done(done)
            );
        }
    }

    #[test]
    fn retries_408_429_5xx_network_and_timeout() {
        for outcome in [
            answer(408, None),
            answer(429, None),
            answer(500, None),
            answer(503, None),
            answer(599, None),
            Outcome::Network("refused".into()),
            Outcome::Timeout,
        ] {
            assert!(matches!(
                decide(&POLICY, 0, outcome, 0.0, 0.0),
                Decision::RetryAfter { delay_ms: 1000, .. }
            ));
        }
    }

    #[test]
    fn other_4xx_fail_at_once() {
        for status in [400, 401, 403, 404, 409, 422] {
            assert_eq!(
                decide(&POLICY, 0, answer(status, None), 0.0, 0.0),
                Decision::Fail(Error::Http {
                    status,
                    body: "b".into(),
                    key: String::new()
                })
            );
        }
    }

    #[test]
    fn abort_is_never_retried() {
        assert_eq!(
            decide(&POLICY, 0, Outcome::Aborted, 0.0, 0.0),
            Decision::Fail(Error::Aborted)
        );
    }

    #[test]
    fn last_attempt_fails_with_its_error() {
        assert_eq!(
            decide(&POLICY, 3, answer(503, None), 0.0, 0.0),
            Decision::Fail(Error::Http {
                status: 503,
                body: "b".into(),
                key: String::new()
            })
        );
        assert_eq!(
            decide(&POLICY, 3, Outcome::Timeout, 0.0, 0.0),
            Decision::Fail(Error::Timeout { ms: 5000 })
        );
        let no_retries = RetryPolicy {
            max_retries: 0,
            ..POLICY
        };
        assert!(matches!(
            decide(&no_retries, 0, Outcome::Timeout, 0.0, 0.0),
            Decision::Fail(_)
        ));
    }

    #[test]
    fn backoff_doubles_from_one_second_up_to_five() {
        assert_eq!(
            [0, 1, 2, 3, 4, 30, u32::MAX].map(|k| backoff_ms(k, 0.0)),
            [1000, 2000, 4000, 5000, 5000, 5000, 5000]
        );
    }

    #[test]
    fn jitter_adds_at_most_ten_percent() {
        assert_eq!(backoff_ms(0, 0.999_999), 1099);
        assert_eq!(backoff_ms(2, 0.5), 4200);
        assert_eq!(backoff_ms(0, f64::NAN), 1000);
        assert_eq!(backoff_ms(0, 7.0), 1100);
    }

    #[test]
    fn retry_after_seconds_is_honoured_when_longer_than_backoff() {
        assert!(matches!(
            decide(&POLICY, 0, answer(429, Some("3")), 0.0, 0.0),
            Decision::RetryAfter { delay_ms: 3000, .. }
        ));
        // Never sooner than the backoff either.
        assert!(matches!(
            decide(&POLICY, 1, answer(503, Some("0")), 0.0, 0.0),
            Decision::RetryAfter { delay_ms: 2000, .. }
        ));
    }

    #[test]
    fn retry_after_http_date_counts_from_now() {
        let now = http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(now, 784_111_777_000.0);
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(10_000)
        );
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(0)
        );
        assert!(matches!(
            decide(
                &POLICY,
                0,
                answer(429, Some("Sun, 06 Nov 1994 08:49:45 GMT")),
                0.0,
                now
            ),
            Decision::RetryAfter { delay_ms: 8000, .. }
        ));
    }

    #[test]
    fn unreadable_retry_after_is_ignored() {
        for header in [
            "soon",
            "-5",
            "1.5",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "",
            "Sun, 06 Nov 99999999999999999 08:49:37 GMT",
            "Sun, 06 Nov -5 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:01 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08::37 GMT",
            "Sun, 06 Nov 1994 08:49: GMT",
            "Sun, 06 Nov 1994 08:-1:37 GMT",
            "Sun, 06 Nov 1994 08:-0:37 GMT",
        ] {
            assert_eq!(retry_after_ms(header, 0.0), None, "{header}");
        }
    }

    #[test]
    fn retry_after_beyond_the_cap_fails_instead_of_retrying_sooner() {
        assert_eq!(
            decide(&POLICY, 0, answer(503, Some("3600")), 0.0, 0.0),
            Decision::Fail(Error::RetryAfterTooLong { ms: 3_600_000 })
        );
        assert!(matches!(
            decide(&POLICY, 0, answer(503, Some("60")), 0.0, 0.0),
            Decision::RetryAfter {
                delay_ms: 60_000,
                ..
            }
        ));
        assert_eq!(retry_after_ms("99999999999999999999", 0.0), None);
        assert_eq!(retry_after_ms("18446744073709551615", 0.0), Some(u64::MAX));
    }

    #[test]
    fn attempts_are_cut_to_what_is_left_of_the_deadline() {
        assert_eq!(
            attempt_timeout_ms(&POLICY, 1e9),
            Ok(5000),
            "no deadline: the per-attempt limit"
        );
        let policy = RetryPolicy {
            deadline_ms: Some(8000),
            ..POLICY
        };
        assert_eq!(attempt_timeout_ms(&policy, 0.0), Ok(5000));
        assert_eq!(attempt_timeout_ms(&policy, 6000.5), Ok(2000));
        assert_eq!(
            attempt_timeout_ms(&policy, 7999.5),
            Err(Error::Deadline { ms: 8000 })
        );
        assert_eq!(
            attempt_timeout_ms(&policy, 9000.0),
            Err(Error::Deadline { ms: 8000 })
        );
    }

    #[test]
    fn a_wait_past_the_deadline_is_not_begun() {
        assert!(wait_fits(&POLICY, 1e9, u64::MAX));
        let policy = RetryPolicy {
            deadline_ms: Some(3000),
            ..POLICY
        };
        assert!(wait_fits(&policy, 500.0, 1000));
        assert!(!wait_fits(&policy, 2500.0, 1000));
        assert!(!wait_fits(&policy, 0.0, 3000));
    }

    #[test]
    fn days_from_civil_matches_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 25), 20_782);
    }
}
