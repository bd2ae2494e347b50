//! `sample_rand` from a trace id, as Relay's dynamic sampling draws it.
//!
//! Every service and runtime of a trace must draw the same number, and it
//! should be the number Sentry's server draws. Relay seeds a PCG32
//! (XSH-RR, `rand_pcg::Pcg32::new(high 64 bits, low 64 bits)`) with the
//! 128-bit trace id and takes a float the way `rand` does: two 32-bit draws
//! make a u64 (low word first), whose top 53 bits scaled by 2^-53 give a
//! number in [0, 1).

const MULTIPLIER: u64 = 6_364_136_223_846_793_005;

struct Pcg32 {
    state: u64,
    increment: u64,
}

impl Pcg32 {
    fn new(state: u64, stream: u64) -> Pcg32 {
        let mut pcg = Pcg32 {
            state,
            increment: (stream << 1) | 1,
        };
        pcg.state = pcg.state.wrapping_add(pcg.increment);
        pcg.step();
        pcg
    }

    fn step(&mut self) {
        self.state = self
            .state
            .wrapping_mul(MULTIPLIER)
            .wrapping_add(self.increment);
    }

    fn next_u32(&mut self) -> u32 {
        let state = self.state;
        self.step();
        let rotate = (state >> 59) as u32;
        let xorshifted = (((state >> 18) ^ state) >> 27) as u32;
        xorshifted.rotate_right(rotate)
    }

    fn next_f64(&mut self) -> f64 {
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32());
        let bits = (high << 32) | low;
        (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// The trace id (32 hex digits, dashes allowed) as a number; `None` when it is not one.
pub(crate) fn parse_trace_id(trace_id: &str) -> Option<u128> {
    let digits: String = trace_id.chars().filter(|c| *c != '-').collect();
    if digits.len() != 32 {
        return None;
    }
    u128::from_str_radix(&digits, 16).ok()
}

/// The `sample_rand` Relay derives from a trace id.
pub(crate) fn from_trace_id(trace_id: u128) -> f64 {
    Pcg32::new((trace_id >> 64) as u64, trace_id as u64).next_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relays_known_draws() {
        assert_eq!(from_trace_id(0), 0.21723014649319783);
        let id = parse_trace_id("67e5504410b1426f9247bb680e5fe0c8").unwrap();
        assert_eq!(from_trace_id(id), 0.8117029693018862);
        assert_eq!(
            parse_trace_id("67e55044-10b1-426f-9247-bb680e5fe0c8"),
            Some(id)
        );
        assert_eq!(parse_trace_id("xyz"), None);
    }
}
