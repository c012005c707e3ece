//! The few `f64` roundings the core needs, in `core` alone: the package's wasm build has no
//! std, whose `floor`, `ceil` and `fract` these replace. The same results as std's for every
//! `f64`, the sign of a zero included.

/// 2^52: from here on every `f64` is a whole number.
const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// `n` without its fraction (NaN and infinities as they are).
fn trunc(n: f64) -> f64 {
    match n.abs() < WHOLE_FROM {
        // Exact: |n| < 2^52 fits an i64, and so does the whole number below it; a zero keeps
        // the sign of `n` (-0.5 truncates to -0).
        true => match n as i64 as f64 {
            0.0 if n.is_sign_negative() => -0.0,
            t => t,
        },
        false => n,
    }
}

/// Whether `n` is a finite whole number (`n.fract() == 0.0`).
pub fn is_whole(n: f64) -> bool {
    n.is_finite() && trunc(n) == n
}

/// The largest whole number not above `n`.
pub fn floor(n: f64) -> f64 {
    let t = trunc(n);
    if t > n {
        t - 1.0
    } else {
        t
    }
}

/// The smallest whole number not below `n`.
pub fn ceil(n: f64) -> f64 {
    let t = trunc(n);
    if t < n {
        t + 1.0
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn they_agree_with_std() {
        let cases = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.25,
            -0.25,
            1e-300,
            -1e-300,
            1.0,
            -1.0,
            1.5,
            -1.5,
            2.999_999,
            -2.000_001,
            1_732_000_000_123.75,
            WHOLE_FROM - 0.5,
            WHOLE_FROM,
            -WHOLE_FROM + 0.5,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for n in cases {
            // Bit for bit: 0.0 == -0.0 would pass a zero of the wrong sign.
            assert_eq!(floor(n).to_bits(), n.floor().to_bits(), "floor({n})");
            assert_eq!(ceil(n).to_bits(), n.ceil().to_bits(), "ceil({n})");
            assert_eq!(is_whole(n), n.fract() == 0.0, "is_whole({n})");
        }
        assert!(floor(f64::NAN).is_nan() && ceil(f64::NAN).is_nan() && !is_whole(f64::NAN));
    }
}
