//! Start-up work split over two cores: a process that answers one question spends most
//! of its time building the matcher, and the machines it runs on have two cores or more.

/// Runs `there` on another thread while `here` runs on this one, and returns both
/// results. When no thread can be started, `there` runs here afterwards: the same
/// results, one after the other.
pub fn both<A: Send, B>(there: impl Fn() -> A + Sync, here: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().spawn_scoped(scope, &there);
        let here = here();
        let there = match spawned.map(|thread| thread.join()) {
            Ok(Ok(result)) => result,
            // A panic there is a bug like one here: it goes on as if it had been here.
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => there(),
        };
        (there, here)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_results_come_back_in_their_places() {
        let words = ["one", "two", "three"];
        let (lengths, joined) = super::both(
            || words.iter().map(|word| word.len()).sum::<usize>(),
            || words.join(" "),
        );
        assert_eq!(lengths, 11);
        assert_eq!(joined, "one two three");
    }
}
