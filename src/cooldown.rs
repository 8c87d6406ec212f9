//! Per-user and per-channel cooldowns, so one person or one busy channel cannot make the
//! bot flood a server. Pure: the caller passes the current time.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// When each key last got an answer, and how long it must wait between answers.
#[derive(Debug)]
pub struct Cooldowns<K> {
    period: Duration,
    last: HashMap<K, Instant>,
}

impl<K: Eq + Hash + Copy> Cooldowns<K> {
    /// Cooldowns of `period` (zero disables them).
    pub fn new(period: Duration) -> Cooldowns<K> {
        Cooldowns {
            period,
            last: HashMap::new(),
        }
    }

    /// How long `key` must still wait at `now`, or None if it may go. Counts nothing:
    /// decide first, then [`Cooldowns::take`] only if the bot speaks.
    pub fn wait(&self, key: K, now: Instant) -> Option<Duration> {
        if self.period.is_zero() {
            return None;
        }
        let elapsed = now.saturating_duration_since(*self.last.get(&key)?);
        (elapsed < self.period).then(|| self.period - elapsed)
    }

    /// Counts an answer to `key` at `now`.
    pub fn take(&mut self, key: K, now: Instant) {
        let _ = self.try_take(key, now);
    }

    /// How long `key` must still wait at `now`, or None if it may go (and is then counted).
    pub fn try_take(&mut self, key: K, now: Instant) -> Option<Duration> {
        if self.period.is_zero() {
            return None;
        }
        if let Some(last) = self.last.get(&key) {
            let elapsed = now.saturating_duration_since(*last);
            if elapsed < self.period {
                return Some(self.period - elapsed);
            }
        }
        self.last.insert(key, now);
        // Forget keys that can no longer be cooling down, so memory stays bounded by the
        // number of users active within one period.
        if self.last.len() > 1024 {
            let period = self.period;
            self.last
                .retain(|_, last| now.saturating_duration_since(*last) < period);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_is_asked_without_counting() {
        let start = Instant::now();
        let mut cooldowns = Cooldowns::new(Duration::from_secs(5));
        assert_eq!(cooldowns.wait(1, start), None);
        assert_eq!(cooldowns.wait(1, start), None, "asking counts nothing");
        cooldowns.take(1, start);
        assert_eq!(
            cooldowns.wait(1, start + Duration::from_secs(1)),
            Some(Duration::from_secs(4))
        );
    }

    #[test]
    fn a_second_request_within_the_period_waits() {
        let start = Instant::now();
        let mut cooldowns = Cooldowns::new(Duration::from_secs(5));
        assert_eq!(cooldowns.try_take(1, start), None);
        assert_eq!(
            cooldowns.try_take(1, start + Duration::from_secs(2)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(cooldowns.try_take(2, start + Duration::from_secs(2)), None);
        assert_eq!(cooldowns.try_take(1, start + Duration::from_secs(5)), None);
    }

    #[test]
    fn zero_disables_cooldowns() {
        let now = Instant::now();
        let mut cooldowns = Cooldowns::new(Duration::ZERO);
        assert_eq!(cooldowns.try_take(1, now), None);
        assert_eq!(cooldowns.try_take(1, now), None);
    }

    #[test]
    fn old_keys_are_forgotten() {
        let start = Instant::now();
        let mut cooldowns = Cooldowns::new(Duration::from_secs(1));
        for key in 0..2000u32 {
            cooldowns.try_take(key, start);
        }
        cooldowns.try_take(9999, start + Duration::from_secs(2));
        assert!(cooldowns.last.len() < 1100);
    }
}
