//! The circuit breaker, one per isolate and server: once a call's attempts end in a failure a
//! later attempt could mend, the calls to that server that have an outbox skip the retry
//! schedule and go straight to it for a cool-down; then one call probes with a single attempt,
//! and its answer closes the circuit or opens it again. Calls without an outbox keep their
//! retries (they have nowhere else to keep an event), but their outcomes count too.

use std::cell::RefCell;

/// How long a circuit stays open before one call probes.
pub const COOL_DOWN_MS: f64 = 30_000.0;

/// What a call with an outbox does about the server.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Admission {
    /// Send as usual, with retries.
    Send,
    /// The cool-down is over: this call probes, with one attempt and no retries.
    Probe,
    /// The circuit is open (or another call is probing): straight to the outbox.
    Skip { ms_left: f64 },
}

#[derive(Clone, Copy, Debug)]
enum Circuit {
    /// Skip until then.
    Open { until_ms: f64 },
    /// A probe went out then; the others skip until it answers, or for a cool-down at most.
    Probing { since_ms: f64 },
}

thread_local! {
    /// The servers whose circuit is not closed, by base URL (a call names one or two servers,
    /// so a list, not a map); wasm runs one thread an isolate.
    static CIRCUITS: RefCell<Vec<(String, Circuit)>> = const { RefCell::new(Vec::new()) };
}

/// Sets the circuit of `server` (`None`: closed).
fn set(circuits: &mut Vec<(String, Circuit)>, server: &str, circuit: Option<Circuit>) {
    circuits.retain(|(url, _)| url != server);
    if let Some(circuit) = circuit {
        circuits.push((server.to_string(), circuit));
    }
}

/// What a call with an outbox to `server` does at `now_ms`.
pub fn admit(server: &str, now_ms: f64) -> Admission {
    CIRCUITS.with(|circuits| {
        let Ok(mut circuits) = circuits.try_borrow_mut() else {
            return Admission::Send;
        };
        let probe = Circuit::Probing { since_ms: now_ms };
        let circuit = circuits
            .iter()
            .find(|(url, _)| url == server)
            .map(|(_, c)| *c);
        match circuit {
            None => Admission::Send,
            // A clock stepped back by more than a cool-down does not hold the circuit open.
            Some(Circuit::Open { until_ms })
                if now_ms < until_ms && until_ms - now_ms <= COOL_DOWN_MS =>
            {
                Admission::Skip {
                    ms_left: until_ms - now_ms,
                }
            }
            Some(Circuit::Probing { since_ms })
                if (since_ms..since_ms + COOL_DOWN_MS).contains(&now_ms) =>
            {
                Admission::Skip {
                    ms_left: since_ms + COOL_DOWN_MS - now_ms,
                }
            }
            // The cool-down is over, or a probe never answered: this call probes.
            Some(_) => {
                set(&mut circuits, server, Some(probe));
                Admission::Probe
            }
        }
    })
}

/// Records how a call's attempts to `server` ended: `reachable` closes the circuit (the server
/// answered, even if it refused the request), a failure a later attempt could mend opens it.
pub fn record(server: &str, reachable: bool, now_ms: impl FnOnce() -> f64) {
    // The clock is read before the circuits are borrowed (and only to open one).
    let open = (!reachable).then(|| Circuit::Open {
        until_ms: now_ms() + COOL_DOWN_MS,
    });
    CIRCUITS.with(|circuits| {
        if let Ok(mut circuits) = circuits.try_borrow_mut() {
            set(&mut circuits, server, open);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://api.honeyhive.ai";

    #[test]
    fn a_curable_failure_opens_the_circuit_for_a_cool_down_then_one_call_probes() {
        assert_eq!(admit(URL, 0.0), Admission::Send);
        record(URL, false, || 1_000.0);
        assert_eq!(admit(URL, 2_000.0), Admission::Skip { ms_left: 29_000.0 });
        assert_eq!(
            admit("http://other", 2_000.0),
            Admission::Send,
            "per server"
        );
        assert_eq!(admit(URL, 31_000.0), Admission::Probe);
        assert!(
            matches!(admit(URL, 31_001.0), Admission::Skip { .. }),
            "one probe at a time"
        );
        record(URL, false, || 32_000.0);
        assert!(
            matches!(admit(URL, 33_000.0), Admission::Skip { .. }),
            "open again"
        );
        assert_eq!(admit(URL, 62_000.0), Admission::Probe);
        record(URL, true, || 62_100.0);
        assert_eq!(admit(URL, 62_200.0), Admission::Send, "closed");
    }

    #[test]
    fn a_clock_stepped_back_does_not_hold_the_circuit_open() {
        record(URL, false, || 100_000.0);
        assert_eq!(admit(URL, 10_000.0), Admission::Probe);
    }

    #[test]
    fn a_probe_that_never_answers_lets_another_call_probe_after_a_cool_down() {
        record(URL, false, || 0.0);
        assert_eq!(admit(URL, 30_000.0), Admission::Probe);
        assert!(matches!(admit(URL, 59_999.0), Admission::Skip { .. }));
        assert_eq!(admit(URL, 60_000.0), Admission::Probe);
    }
}
